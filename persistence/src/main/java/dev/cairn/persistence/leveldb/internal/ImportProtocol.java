package dev.cairn.persistence.leveldb.internal;

import org.apache.pekko.actor.ActorRef;

/**
 * INTERNAL API. Messages that {@code JournalImport} sends to Cairn's journal actor
 * ({@link LevelDbJournal}) besides Pekko's write protocol, so that an imported persistence id
 * ends up stored exactly as in the source journal. Each command is answered with {@link Done}
 * or {@link Failed} to its {@code replyTo}.
 */
public final class ImportProtocol {
  private ImportProtocol() {}

  /** A command of this protocol. */
  public sealed interface Command permits StartAfterDeleted, WriteRejectedMarker {
    String persistenceId();

    ActorRef replyTo();
  }

  /**
   * Makes an id that has nothing stored start after {@code deletedTo}: its state becomes highest
   * sequence number {@code deletedTo} and deleted-to mark {@code deletedTo}, exactly as if its
   * actor had written events 1..deletedTo and deleted them, so the next write is
   * {@code deletedTo + 1}. Done (changing nothing) when the id is in that state already; failed
   * when the id has any other state. Not Pekko's {@code DeleteMessagesTo}, which must never raise
   * the highest sequence number.
   */
  public record StartAfterDeleted(String persistenceId, long deletedTo, ActorRef replyTo)
      implements Command {}

  /**
   * Writes a REJECTED marker at {@code sequenceNr} (the source journal rejected the event there),
   * with the same checks as an event write: it must be the id's next sequence number.
   */
  public record WriteRejectedMarker(String persistenceId, long sequenceNr, long timestamp,
      String writerUuid, ActorRef replyTo) implements Command {}

  /** The command for {@code persistenceId} at {@code sequenceNr} is written (and synced with fsync on). */
  public record Done(String persistenceId, long sequenceNr) {}

  /** The command failed; nothing of it was written. */
  public record Failed(String persistenceId, long sequenceNr, Throwable cause) {}
}
