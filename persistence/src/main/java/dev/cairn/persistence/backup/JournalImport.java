package dev.cairn.persistence.backup;

import dev.cairn.persistence.backup.internal.ExportedDeletion;
import dev.cairn.persistence.backup.internal.ExportedEvent;
import dev.cairn.persistence.backup.internal.ExportedSnapshot;
import dev.cairn.persistence.backup.internal.PayloadCodec;
import dev.cairn.persistence.backup.internal.ReplyQueue;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.cairn.persistence.leveldb.internal.ImportProtocol;
import dev.cairn.persistence.leveldb.internal.LevelDbJournal;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.PoisonPill;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.PersistentRepr$;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a JSON Lines export ({@link JournalExport}) into any Pekko journal plugin, through the
 * plugin's own write protocol, so the events land exactly as if their actors had persisted them
 * (tags included), and its snapshot lines into the snapshot store plugin
 * ({@link ImportOptions#withSnapshotPluginId}, by default the system's default one) through its
 * own {@code SaveSnapshot} protocol, before the events of their id.
 *
 * <p>The file is read twice. The first pass checks every line (JSON, fields, sequence numbers
 * increasing by one per persistence id, payloads and snapshots deserializable by Pekko
 * serialization, so the event classes must be on the classpath; an id's snapshot and deleted
 * lines before its events) and that every id recovers the same state as in the source: an id
 * whose events start after 1 (its older events were deleted) needs a snapshot at or after its
 * deleted prefix, else it is refused, since its actors would recover a wrong state. It then asks
 * the journal for each id's highest sequence number (an id that already has events at or after
 * its first imported sequence number is refused) and the snapshot store for each snapshot id's
 * newest snapshot (one newer than the imported snapshot would be loaded instead: refused). Only
 * then does the second pass write, in batches, waiting for the journal to confirm each batch. A
 * problem in the first pass writes nothing.
 *
 * <p>Into Cairn's own journal, an id with a deleted prefix is started after it (stored as if its
 * actor had deleted those events) and a rejected-event line becomes a REJECTED marker, so the
 * sequence numbers stay contiguous. Other journal plugins get the events as they are (they take
 * any first sequence number) and nothing for a rejected line.
 */
public final class JournalImport {
  private static final Logger log = LoggerFactory.getLogger(JournalImport.class);

  private JournalImport() {}

  /** Imports {@code jsonLines} into the journal plugin {@code journalPluginId}. */
  public static CompletionStage<ImportSummary> importFile(
      ActorSystem<?> system, String journalPluginId, Path jsonLines, ImportOptions options) {
    return CompletableFuture.supplyAsync(
        () -> new Run(system, journalPluginId, jsonLines, options).run(),
        system.dispatchers().lookup(DispatcherSelector.blocking()));
  }

  /** What the first pass learned about one persistence id. */
  private static final class IdPlan {
    long firstEvent; // sequence number of its first event line, 0 while none
    long lastEvent;
    long eventLines;
    long deletedLine; // toSeqNr of its deleted line, 0 when none
    long newestSnapshot;
    long headLine; // number of its last snapshot or deleted line
    boolean startAfterDeleted; // tell Cairn's journal where the id starts, after headLine

    /** Events up to this were deleted in the source. */
    long deletedTo() {
      if (deletedLine > 0) return deletedLine;
      return firstEvent > 1 ? firstEvent - 1 : 0;
    }

    long firstSeqNr() {
      return deletedTo() + 1;
    }

    long highest() {
      return Math.max(lastEvent, deletedTo());
    }
  }

  private static final class Run {
    private final ActorSystem<?> system;
    private final String pluginId;
    private final Path file;
    private final ImportOptions options;
    private final Serialization serialization;
    private final BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
    private final String importWriter = UUID.randomUUID().toString();
    private final boolean cairnJournal;
    private long snapshotLines;

    Run(ActorSystem<?> system, String pluginId, Path file, ImportOptions options) {
      this.system = system;
      this.pluginId = pluginId;
      this.file = file;
      this.options = options;
      this.serialization = SerializationExtension.get(system);
      this.cairnJournal = isCairnJournal(system.settings().config(), pluginId);
    }

    private static boolean isCairnJournal(Config config, String pluginId) {
      String id = pluginId == null || pluginId.isEmpty()
          ? config.getString("pekko.persistence.journal.plugin") : pluginId;
      return !id.isEmpty() && config.hasPath(id + ".class")
          && LevelDbJournal.class.getName().equals(config.getString(id + ".class"));
    }

    ImportSummary run() {
      if (!Files.isRegularFile(file)) {
        throw new ImportException("Import file " + file + " does not exist");
      }
      ActorRef journal = Persistence.get(system).journalFor(pluginId, ConfigFactory.empty());
      // a system actor: typed systems refuse user actors created from the outside
      ActorRef replyTo = ((ExtendedActorSystem) system.classicSystem())
          .systemActorOf(ReplyQueue.props(replies), "cairn-import-" + UUID.randomUUID());
      try {
        Map<String, IdPlan> plans = check();
        for (Map.Entry<String, IdPlan> e : plans.entrySet()) {
          String id = e.getKey();
          IdPlan plan = e.getValue();
          long highest = highestSeqNr(journal, replyTo, id);
          long deletedTo = plan.deletedTo();
          if (highest >= plan.firstSeqNr() || (deletedTo > 0 && highest > 0 && highest != deletedTo)) {
            throw new ImportException("Persistence id '" + id + "' already has events"
                + " up to sequence number " + highest + " in journal '" + pluginId
                + "', and the import starts at " + plan.firstSeqNr()
                + ". Import only into a journal without these ids; nothing was written");
          }
          plan.startAfterDeleted = cairnJournal && deletedTo > 0 && highest < deletedTo;
        }
        ActorRef snapshotStore = snapshotLines == 0 ? null : snapshotStore();
        if (snapshotStore != null) {
          for (Map.Entry<String, IdPlan> e : plans.entrySet()) {
            if (e.getValue().newestSnapshot == 0) continue;
            long stored = newestStoredSnapshot(snapshotStore, replyTo, e.getKey());
            if (stored > e.getValue().newestSnapshot) {
              throw new ImportException("Persistence id '" + e.getKey() + "' already has a"
                  + " snapshot at sequence number " + stored + " in the target snapshot store,"
                  + " newer than the imported one at " + e.getValue().newestSnapshot
                  + ": its actors would recover from that one instead. Import only into a"
                  + " snapshot store without these ids; nothing was written");
            }
          }
        }
        long total = plans.values().stream().mapToLong(p -> p.eventLines).sum();
        long[] written = write(journal, snapshotStore, replyTo, plans, total);
        log.info("Imported {} events and {} snapshots of {} persistence ids from {} into journal"
            + " '{}'", written[0], written[1], plans.size(), file, pluginId);
        return new ImportSummary(plans.size(), written[0], written[1]);
      } catch (IOException e) {
        throw new ImportException("Cannot read import file " + file + ": " + e.getMessage(), e);
      } finally {
        replyTo.tell(PoisonPill.getInstance(), ActorRef.noSender());
      }
    }

    private ActorRef snapshotStore() {
      Optional<String> id = options.snapshotPluginId();
      if (id.isEmpty()
          && system.settings().config().getString("pekko.persistence.snapshot-store.plugin")
              .isEmpty()) {
        throw new ImportException("Import file " + file + " has " + snapshotLines
            + " snapshots, but no snapshot store is configured: set"
            + " pekko.persistence.snapshot-store.plugin or name one"
            + " (ImportOptions.withSnapshotPluginId, cairn import --snapshot-store); nothing was"
            + " written");
      }
      return Persistence.get(system).snapshotStoreFor(id.orElse(""), ConfigFactory.empty());
    }

    /**
     * First pass: every line valid, each id's lines consistent and recoverable; returns what
     * to write per id, in the order the ids first appear.
     */
    private Map<String, IdPlan> check() throws IOException {
      Map<String, IdPlan> plans = new LinkedHashMap<>();
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        long number = 0;
        while ((line = in.readLine()) != null) {
          number++;
          if (line.isBlank()) continue;
          Object parsed = parse(line, number);
          if (parsed instanceof ExportedEvent event) {
            if (!event.rejected()) toEvent(event, number);
            IdPlan plan = plans.computeIfAbsent(event.persistenceId(), k -> new IdPlan());
            if (plan.eventLines == 0) {
              if (plan.deletedLine > 0 && event.seqNr() != plan.deletedLine + 1) {
                throw new ImportException("Line " + number + " of " + file + ": persistence id '"
                    + event.persistenceId() + "' has its events up to " + plan.deletedLine
                    + " deleted, but its first event has sequence number " + event.seqNr()
                    + " instead of " + (plan.deletedLine + 1) + ". Nothing was written");
              }
              plan.firstEvent = event.seqNr();
            } else if (event.seqNr() != plan.lastEvent + 1) {
              throw new ImportException("Line " + number + " of " + file + ": persistence id '"
                  + event.persistenceId() + "' has sequence number " + event.seqNr()
                  + " after " + plan.lastEvent + "; sequence numbers must increase by one."
                  + " Nothing was written");
            }
            plan.lastEvent = event.seqNr();
            plan.eventLines++;
          } else if (parsed instanceof ExportedSnapshot snapshot) {
            toSnapshot(snapshot, number);
            IdPlan plan = headLine(plans, snapshot.persistenceId(), "snapshot", number);
            plan.newestSnapshot = Math.max(plan.newestSnapshot, snapshot.seqNr());
            snapshotLines++;
          } else {
            ExportedDeletion deletion = (ExportedDeletion) parsed;
            IdPlan plan = headLine(plans, deletion.persistenceId(), "deleted", number);
            if (plan.deletedLine > 0) {
              throw new ImportException("Line " + number + " of " + file + ": persistence id '"
                  + deletion.persistenceId() + "' has a second deleted line. Nothing was"
                  + " written");
            }
            plan.deletedLine = deletion.toSeqNr();
          }
        }
      }
      for (Map.Entry<String, IdPlan> e : plans.entrySet()) {
        IdPlan plan = e.getValue();
        long deletedTo = plan.deletedTo();
        if (deletedTo > 0 && plan.newestSnapshot < deletedTo) {
          throw new ImportException("Persistence id '" + e.getKey() + "' starts at sequence"
              + " number " + plan.firstSeqNr() + " in " + file + " (its events up to "
              + deletedTo + " were deleted in the source journal), and the file has "
              + (plan.newestSnapshot == 0 ? "no snapshot of it"
                  : "no snapshot of it at or after " + deletedTo + " (the newest is at "
                      + plan.newestSnapshot + ")")
              + ": its actors would recover a wrong state from the remaining events alone."
              + " Export it with its snapshots; nothing was written");
        }
        if (plan.newestSnapshot > plan.highest()) {
          throw new ImportException("Persistence id '" + e.getKey() + "' has a snapshot at"
              + " sequence number " + plan.newestSnapshot + " in " + file + ", after its"
              + " highest sequence number " + plan.highest() + ". Nothing was written");
        }
      }
      return plans;
    }

    /** An id's snapshot or deleted line, which must come before its events. */
    private IdPlan headLine(Map<String, IdPlan> plans, String id, String kind, long number) {
      IdPlan plan = plans.computeIfAbsent(id, k -> new IdPlan());
      if (plan.eventLines > 0) {
        throw new ImportException("Line " + number + " of " + file + ": the " + kind + " line of"
            + " persistence id '" + id + "' comes after its events; it must come before them."
            + " Nothing was written");
      }
      plan.headLine = number;
      return plan;
    }

    /**
     * Second pass: write in batches, each event its own atomic write; snapshots, deleted
     * prefixes and rejected markers between batches. Returns {events, snapshots} written.
     */
    private long[] write(ActorRef journal, ActorRef snapshotStore, ActorRef replyTo,
        Map<String, IdPlan> plans, long total) throws IOException {
      long written = 0;
      long snapshots = 0;
      long skipped = 0;
      List<AtomicWrite> batch = new ArrayList<>();
      long firstLineOfBatch = 1;
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        long number = 0;
        while ((line = in.readLine()) != null) {
          number++;
          if (line.isBlank()) continue;
          Object parsed = parse(line, number);
          String id;
          if (parsed instanceof ExportedSnapshot snapshot) {
            id = snapshot.persistenceId();
            saveSnapshot(snapshotStore, replyTo, snapshot, toSnapshot(snapshot, number), written);
            snapshots++;
          } else if (parsed instanceof ExportedDeletion deletion) {
            id = deletion.persistenceId();
          } else {
            ExportedEvent event = (ExportedEvent) parsed;
            id = event.persistenceId();
            if (event.rejected()) {
              if (cairnJournal) {
                // the events before it first: the marker must follow them
                if (!batch.isEmpty()) written += send(journal, replyTo, batch, firstLineOfBatch, written);
                tellCairn(journal, new ImportProtocol.WriteRejectedMarker(id, event.seqNr(),
                    event.timestamp(), event.writerUuid().orElse(importWriter), replyTo),
                    "writing the rejected-event marker of line " + number, written);
              } else {
                skipped++; // the source had no event at this sequence number
              }
              continue;
            }
            if (batch.isEmpty()) firstLineOfBatch = number;
            Object payload = toEvent(event, number);
            if (!event.tags().isEmpty()) payload = new Tagged(payload, new HashSet<>(event.tags()));
            PersistentRepr repr = PersistentRepr$.MODULE$.apply(payload, event.seqNr(),
                event.persistenceId(), "", false, ActorRef.noSender(),
                event.writerUuid().orElse(importWriter)).withTimestamp(event.timestamp());
            batch.add(AtomicWrite.apply(repr));
            if (batch.size() >= options.batchSize()) {
              written += send(journal, replyTo, batch, firstLineOfBatch, written);
              options.progress().onProgress("import", written, total);
            }
            continue;
          }
          IdPlan plan = plans.get(id);
          if (plan.startAfterDeleted && plan.headLine == number) {
            // its snapshots are saved: Cairn's journal takes the id from deletedTo + 1
            tellCairn(journal, new ImportProtocol.StartAfterDeleted(id, plan.deletedTo(), replyTo),
                "starting persistence id '" + id + "' after its deleted events", written);
          }
        }
      }
      if (!batch.isEmpty()) written += send(journal, replyTo, batch, firstLineOfBatch, written);
      options.progress().onProgress("import", written, total);
      if (skipped > 0) {
        log.warn("Import of {} wrote nothing for {} sequence numbers whose events the source"
            + " journal had rejected; a journal that requires contiguous sequence numbers refuses"
            + " the events after them", file, skipped);
      }
      return new long[] {written, snapshots};
    }

    private void tellCairn(ActorRef journal, ImportProtocol.Command command, String what,
        long writtenBefore) {
      journal.tell(command, command.replyTo());
      Object reply = await(what);
      if (reply instanceof ImportProtocol.Failed f) {
        throw new ImportException("Journal '" + pluginId + "' failed " + what + " of " + file
            + " (persistence id '" + f.persistenceId() + "', sequence number " + f.sequenceNr()
            + "): " + f.cause().getMessage() + ". " + writtenBefore + " events are written",
            f.cause());
      }
      if (!(reply instanceof ImportProtocol.Done)) {
        throw new ImportException("Journal '" + pluginId + "' answered " + reply.getClass()
            .getSimpleName() + " while " + what + " of " + file);
      }
    }

    private void saveSnapshot(ActorRef snapshotStore, ActorRef replyTo, ExportedSnapshot line,
        Object snapshot, long writtenBefore) {
      SnapshotMetadata metadata =
          new SnapshotMetadata(line.persistenceId(), line.seqNr(), line.timestamp());
      snapshotStore.tell(new SnapshotProtocol.SaveSnapshot(metadata, snapshot), replyTo);
      String what = "saving the snapshot of '" + line.persistenceId() + "' at sequence number "
          + line.seqNr();
      Object reply = await(what);
      if (reply instanceof org.apache.pekko.persistence.SaveSnapshotFailure f) {
        throw new ImportException("The snapshot store failed " + what + " of " + file + ": "
            + f.cause().getMessage() + ". " + writtenBefore + " events are written", f.cause());
      }
      if (!(reply instanceof org.apache.pekko.persistence.SaveSnapshotSuccess)) {
        throw new ImportException("The snapshot store answered " + reply.getClass()
            .getSimpleName() + " while " + what + " of " + file);
      }
    }

    private long newestStoredSnapshot(ActorRef snapshotStore, ActorRef replyTo, String id) {
      snapshotStore.tell(new SnapshotProtocol.LoadSnapshot(id, SnapshotSelectionCriteria.latest(),
          Long.MAX_VALUE), replyTo);
      Object reply = await("reading the newest snapshot of '" + id + "'");
      if (reply instanceof SnapshotProtocol.LoadSnapshotResult r) {
        return r.snapshot().isEmpty() ? 0L : r.snapshot().get().metadata().sequenceNr();
      }
      if (reply instanceof SnapshotProtocol.LoadSnapshotFailed f) {
        throw new ImportException("The snapshot store cannot load the newest snapshot of '" + id
            + "': " + f.cause().getMessage() + "; nothing was written", f.cause());
      }
      throw new ImportException("The snapshot store answered " + reply.getClass()
          .getSimpleName() + " while reading the newest snapshot of '" + id + "'");
    }

    private int send(ActorRef journal, ActorRef replyTo, List<AtomicWrite> batch, long firstLine,
        long writtenBefore) {
      int size = batch.size();
      scala.collection.immutable.Seq<PersistentEnvelope> seq =
          scala.jdk.javaapi.CollectionConverters.asScala(
              new ArrayList<PersistentEnvelope>(batch)).toList();
      batch.clear();
      journal.tell(new JournalProtocol.WriteMessages(seq, replyTo, 1), replyTo);
      for (int i = 0; i < size + 1; i++) {
        Object reply = await("writing the batch starting at line " + firstLine);
        if (reply instanceof JournalProtocol.WriteMessagesFailed) {
          Throwable cause = ((JournalProtocol.WriteMessagesFailed) reply).cause();
          throw new ImportException("Journal '" + pluginId + "' failed to write the batch"
              + " starting at line " + firstLine + " of " + file + ": " + cause.getMessage()
              + ". The " + writtenBefore + " events before that line are written", cause);
        } else if (reply instanceof JournalProtocol.WriteMessageRejected) {
          JournalProtocol.WriteMessageRejected r = (JournalProtocol.WriteMessageRejected) reply;
          throw new ImportException("Journal '" + pluginId + "' rejected event "
              + r.message().sequenceNr() + " of '" + r.message().persistenceId() + "': "
              + r.cause().getMessage() + ". The " + writtenBefore
              + " events before line " + firstLine + " are written", r.cause());
        } else if (reply instanceof JournalProtocol.WriteMessageFailure) {
          JournalProtocol.WriteMessageFailure r = (JournalProtocol.WriteMessageFailure) reply;
          throw new ImportException("Journal '" + pluginId + "' failed to write event "
              + r.message().sequenceNr() + " of '" + r.message().persistenceId() + "': "
              + r.cause().getMessage() + ". The " + writtenBefore
              + " events before line " + firstLine + " are written", r.cause());
        }
      }
      return size;
    }

    private long highestSeqNr(ActorRef journal, ActorRef replyTo, String persistenceId) {
      journal.tell(new JournalProtocol.ReplayMessages(1L, Long.MAX_VALUE, 0L, persistenceId,
          replyTo), replyTo);
      Object reply = await("reading the highest sequence number of '" + persistenceId + "'");
      if (reply instanceof JournalProtocol.RecoverySuccess) {
        return ((JournalProtocol.RecoverySuccess) reply).highestSequenceNr();
      }
      if (reply instanceof JournalProtocol.ReplayMessagesFailure) {
        Throwable cause = ((JournalProtocol.ReplayMessagesFailure) reply).cause();
        throw new ImportException("Journal '" + pluginId + "' cannot tell the highest sequence"
            + " number of '" + persistenceId + "': " + cause.getMessage(), cause);
      }
      throw new ImportException("Journal '" + pluginId + "' answered " + reply.getClass()
          .getSimpleName() + " while reading the highest sequence number of '"
          + persistenceId + "'");
    }

    private Object await(String what) {
      try {
        Object reply = replies.poll(options.writeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (reply == null) {
          throw new ImportException("Journal '" + pluginId + "' did not answer within "
              + options.writeTimeout() + " while " + what + " of " + file);
        }
        return reply;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ImportException("Import of " + file + " interrupted while " + what, e);
      }
    }

    private Object parse(String line, long number) {
      try {
        return ExportedEvent.parseAny(line);
      } catch (IllegalArgumentException e) {
        throw new ImportException("Line " + number + " of " + file + " is not an exported event: "
            + e.getMessage() + ". Nothing was written");
      }
    }

    private Object toSnapshot(ExportedSnapshot snapshot, long number) {
      try {
        byte[] bytes = PayloadCodec.decode(snapshot.payload());
        return serialization.deserialize(bytes, snapshot.serializerId(), snapshot.manifest())
            .get();
      } catch (Exception e) {
        throw new ImportException("Line " + number + " of " + file + ": the snapshot of '"
            + snapshot.persistenceId() + "' at sequence number " + snapshot.seqNr()
            + " cannot be deserialized (serializer " + snapshot.serializerId() + ", manifest '"
            + snapshot.manifest() + "'): " + e + ". Put the state classes on the classpath;"
            + " nothing was written", e);
      }
    }

    private Object toEvent(ExportedEvent event, long number) {
      try {
        byte[] bytes = PayloadCodec.decode(event.payload());
        return serialization.deserialize(bytes, event.serializerId(), event.manifest()).get();
      } catch (Exception e) {
        throw new ImportException("Line " + number + " of " + file + ": event "
            + event.seqNr() + " of '" + event.persistenceId() + "' cannot be deserialized"
            + " (serializer " + event.serializerId() + ", manifest '" + event.manifest() + "'): "
            + e + ". Put the event classes on the classpath; nothing was written", e);
      }
    }
  }
}
