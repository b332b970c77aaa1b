package dev.cairn.persistence;

import dev.cairn.persistence.internal.Replayer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentPersistenceIdsQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Reads {@link QuarantineRecord}s: the durable records of poison events skipped during redo.
 * Nothing here writes.
 *
 * <ul>
 *   <li>{@link #fromReadJournal}: through Persistence Query ({@code currentEventsByPersistenceId})
 *       on a read journal plugin id, e.g. {@code cairn.persistence.query.leveldb}.
 *   <li>{@link #allFromReadJournal}: every persistence id ({@code currentPersistenceIds}).
 *   <li>{@link #fromJournal}: straight from a journal plugin, for journals without a read journal.
 * </ul>
 */
public final class QuarantineRecords {

  private QuarantineRecords() {}

  /** The quarantine records of one actor, oldest first, via a read journal. */
  public static CompletionStage<List<QuarantineRecord>> fromReadJournal(
      ActorSystem<?> system, String readJournalPluginId, String persistenceId) {
    Objects.requireNonNull(persistenceId, "'persistenceId' must not be null");
    CurrentEventsByPersistenceIdQuery q = PersistenceQuery.get(system)
        .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, readJournalPluginId);
    return records(q, persistenceId).runWith(Sink.seq(), system);
  }

  /**
   * The quarantine records of every actor, via a read journal that supports both
   * {@code currentPersistenceIds} and {@code currentEventsByPersistenceId}.
   */
  public static CompletionStage<List<QuarantineRecord>> allFromReadJournal(
      ActorSystem<?> system, String readJournalPluginId) {
    var journal = PersistenceQuery.get(system)
        .getReadJournalFor(CurrentPersistenceIdsQuery.class, readJournalPluginId);
    if (!(journal instanceof CurrentEventsByPersistenceIdQuery byId))
      throw new IllegalArgumentException("Read journal '" + readJournalPluginId
          + "' does not support currentEventsByPersistenceId; use fromJournal per persistence id");
    return journal.currentPersistenceIds()
        .flatMapConcat(pid -> records(byId, pid))
        .runWith(Sink.seq(), system);
  }

  /** The quarantine records of one actor, read straight from a journal plugin ("" = default journal). */
  public static CompletionStage<List<QuarantineRecord>> fromJournal(
      ActorSystem<?> system, String journalPluginId, String persistenceId) {
    Objects.requireNonNull(journalPluginId, "'journalPluginId' must not be null (use \"\" for the default journal)");
    Objects.requireNonNull(persistenceId, "'persistenceId' must not be null");
    return Replayer.quarantineRecords(system, journalPluginId, persistenceId);
  }

  private static Source<QuarantineRecord, NotUsed> records(CurrentEventsByPersistenceIdQuery q, String pid) {
    return q.currentEventsByPersistenceId(pid, 0L, Long.MAX_VALUE)
        .map(EventEnvelope::event)
        .filter(e -> e instanceof QuarantineRecord)
        .map(e -> (QuarantineRecord) e);
  }
}
