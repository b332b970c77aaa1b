package dev.cairn.persistence.backup;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.cairn.persistence.backup.internal.ExportedDeletion;
import dev.cairn.persistence.backup.internal.ExportedEvent;
import dev.cairn.persistence.backup.internal.ExportedSnapshot;
import dev.cairn.persistence.backup.internal.PayloadCodec;
import dev.cairn.persistence.backup.internal.StoreAccess;
import dev.cairn.persistence.leveldb.JournalStorageException;
import dev.cairn.persistence.leveldb.internal.CloseableIterator;
import dev.cairn.persistence.leveldb.internal.EventRecord;
import dev.cairn.persistence.leveldb.internal.Format;
import dev.cairn.persistence.leveldb.internal.LevelDbStore;
import dev.cairn.persistence.leveldb.internal.PersistenceIdState;
import dev.cairn.persistence.leveldb.internal.RawEntry;
import dev.cairn.persistence.leveldb.internal.SnapshotRecord;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import dev.cairn.persistence.leveldb.internal.StoreOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentPersistenceIdsQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.stream.javadsl.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports the events of a journal as JSON Lines, grouped per persistence id in sequence number
 * order, through any Pekko read journal that supports {@code currentPersistenceIds} and
 * {@code currentEventsByPersistenceId}, or straight from Cairn's store. Each event is
 * serialized with Pekko serialization and written as JSON (Jackson payloads as their JSON tree,
 * other serializers as base64), so {@link JournalImport} can write it into any journal plugin.
 *
 * <p>An event line: {@code {"persistenceId":"account-1","seqNr":1,"timestamp":1700000000000,
 * "tags":[],"serializerId":33,"manifest":"com.example.Deposited","encoding":"cbor",
 * "payload":{"amount":10}}}. Pekko's query envelope carries neither tags nor writer uuid, so
 * an export through a read journal has {@code "tags":[]} and no {@code writerUuid}.
 *
 * <p>Before an id's events come, when they apply, a {@code "kind":"deleted"} line (the id's
 * events up to {@code toSeqNr} were deleted, so its events start after it) and a
 * {@code "kind":"snapshot"} line with its newest snapshot ({@link ExportOptions#withSnapshots}).
 * An id whose older events were deleted recovers from that snapshot, so the import refuses it
 * without one.
 */
public final class JournalExport {
  private static final Logger log = LoggerFactory.getLogger(JournalExport.class);
  private static final Duration SNAPSHOT_LOAD_TIMEOUT = Duration.ofSeconds(60);

  private JournalExport() {}

  /**
   * Writes every event (or those of {@link ExportOptions#persistenceIds()}) to {@code out},
   * with each id's newest snapshot when {@link ExportOptions#snapshotPluginId()} names the
   * snapshot store plugin to load it from. The first event's sequence number tells the deleted
   * prefix (Pekko's query API does not tell deletions otherwise); an id without events whose
   * snapshot store has a snapshot is exported as deleted up to that snapshot. The writer is
   * flushed, not closed.
   */
  public static CompletionStage<ExportSummary> export(
      ActorSystem<?> system, String readJournalPluginId, Writer out, ExportOptions options) {
    ReadJournal journal =
        PersistenceQuery.get(system).getReadJournalFor(ReadJournal.class, readJournalPluginId);
    if (!(journal instanceof CurrentEventsByPersistenceIdQuery)) {
      throw new BackupException("Read journal '" + readJournalPluginId
          + "' does not support currentEventsByPersistenceId; it cannot be exported");
    }
    CurrentEventsByPersistenceIdQuery events = (CurrentEventsByPersistenceIdQuery) journal;
    CompletionStage<List<String>> ids;
    if (!options.persistenceIds().isEmpty()) {
      ids = CompletableFuture.completedFuture(options.persistenceIds());
    } else if (journal instanceof CurrentPersistenceIdsQuery) {
      ids = ((CurrentPersistenceIdsQuery) journal).currentPersistenceIds()
          .runWith(Sink.seq(), system)
          .thenApply(list -> {
            List<String> sorted = new ArrayList<>(list);
            Collections.sort(sorted);
            return sorted;
          });
    } else {
      throw new BackupException("Read journal '" + readJournalPluginId
          + "' does not support currentPersistenceIds; name the persistence ids to export");
    }
    Optional<ActorRef> snapshotStore = options.snapshots()
        ? options.snapshotPluginId().map(id ->
            Persistence.get(system).snapshotStoreFor(id, ConfigFactory.empty()))
        : Optional.empty();
    Serialization serialization = SerializationExtension.get(system);
    PayloadCodec codec = PayloadCodec.fromConfig(system.settings().config());
    AtomicLong lines = new AtomicLong();
    AtomicLong snapshots = new AtomicLong();
    return ids.thenCompose(list -> {
      CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
      for (int i = 0; i < list.size(); i++) {
        String id = list.get(i);
        int done = i + 1;
        chain = chain
            .thenCompose(x -> snapshotStore.isEmpty()
                ? CompletableFuture.completedFuture(Optional.<ExportedSnapshot>empty())
                : loadSnapshot(snapshotStore.get(), serialization, codec, id))
            .thenCompose(snapshot -> {
              IdLines idLines = new IdLines(out, id, snapshot);
              return events.currentEventsByPersistenceId(id, 0L, Long.MAX_VALUE)
                  .runForeach(env -> {
                    idLines.beforeEvent(env.sequenceNr());
                    write(out, line(serialization, codec, env));
                    lines.incrementAndGet();
                  }, system)
                  .thenAccept(d -> {
                    idLines.end();
                    if (idLines.snapshotWritten) snapshots.incrementAndGet();
                  });
            })
            .thenAccept(x -> options.progress().onProgress("export", done, list.size()));
      }
      return chain.thenApply(x -> {
        try {
          out.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return new ExportSummary(list.size(), lines.get(), snapshots.get());
      });
    });
  }

  /** Writes an id's deleted and snapshot lines before its first event (or at its end). */
  private static final class IdLines {
    private final Writer out;
    private final String id;
    private final Optional<ExportedSnapshot> snapshot;
    private boolean started;
    boolean snapshotWritten;

    IdLines(Writer out, String id, Optional<ExportedSnapshot> snapshot) {
      this.out = out;
      this.id = id;
      this.snapshot = snapshot;
    }

    void beforeEvent(long seqNr) {
      if (started) return;
      started = true;
      head(seqNr - 1);
    }

    void end() {
      if (started) return;
      started = true;
      // no events: with a snapshot, every event up to it was deleted
      snapshot.ifPresent(s -> head(s.seqNr()));
    }

    private void head(long deletedTo) {
      if (deletedTo > 0) {
        write(out, new ExportedDeletion(id, deletedTo).toJsonLine());
        if (snapshot.isEmpty()) warnNoSnapshot(id, deletedTo);
      }
      snapshot.ifPresent(s -> write(out, s.toJsonLine()));
      snapshotWritten = snapshot.isPresent();
    }
  }

  private static CompletionStage<Optional<ExportedSnapshot>> loadSnapshot(ActorRef store,
      Serialization serialization, PayloadCodec codec, String id) {
    return Patterns.ask(store, new SnapshotProtocol.LoadSnapshot(id,
            SnapshotSelectionCriteria.latest(), Long.MAX_VALUE), SNAPSHOT_LOAD_TIMEOUT)
        .thenApply(reply -> {
          if (reply instanceof SnapshotProtocol.LoadSnapshotFailed f) {
            throw new BackupException("Loading the newest snapshot of persistence id '" + id
                + "' failed: " + f.cause().getMessage(), f.cause());
          }
          if (!(reply instanceof SnapshotProtocol.LoadSnapshotResult r)) {
            throw new BackupException("The snapshot store answered " + reply.getClass()
                .getSimpleName() + " while loading the newest snapshot of '" + id + "'");
          }
          if (r.snapshot().isEmpty()) return Optional.<ExportedSnapshot>empty();
          SelectedSnapshot selected = r.snapshot().get();
          Serialized state = serialize(serialization, codec, selected.snapshot());
          return Optional.of(new ExportedSnapshot(id, selected.metadata().sequenceNr(),
              selected.metadata().timestamp(), state.serializerId(), state.manifest(),
              state.payload()));
        });
  }

  /**
   * Writes the events of Cairn's LevelDB journal in {@code journalDir} to {@code out}, with the
   * snapshots Cairn's snapshot store keeps in the same directory (when both plugins share one;
   * for a separate snapshot directory use {@link #exportStore(StoreDirectories, Config, Writer,
   * ExportOptions)}).
   *
   * @throws JournalNotFoundException when the directory or a named persistence id does not exist
   */
  public static ExportSummary exportStore(
      Path journalDir, Config pekkoConfig, Writer out, ExportOptions options) {
    return exportStore(new StoreDirectories(journalDir, journalDir), pekkoConfig, out, options);
  }

  /**
   * Writes the events of Cairn's LevelDB journal in {@code dirs.journalDir()} to {@code out},
   * each id preceded by its newest snapshot from {@code dirs.snapshotDir()} (unless
   * {@link ExportOptions#withSnapshots} is off; a missing snapshot directory has none) and,
   * when its older events were deleted, a deleted line. Reads the stores directly: online when
   * a plugin of this process has them open, otherwise by opening them (refused with
   * {@link JournalInUseException} when another process holds one). Unlike an export through a
   * read journal, the lines carry the stored tags, writer uuid and rejected-event markers, and
   * the event classes need not be on the classpath: payloads are decoded from their stored
   * bytes.
   *
   * @param pekkoConfig configuration naming the serializers (for which ids are Jackson JSON or
   *     CBOR), usually {@code ConfigFactory.load()}
   * @throws JournalNotFoundException when the journal directory or a named persistence id does
   *     not exist
   */
  public static ExportSummary exportStore(
      StoreDirectories dirs, Config pekkoConfig, Writer out, ExportOptions options) {
    PayloadCodec codec = PayloadCodec.fromConfig(pekkoConfig);
    Path journalDir = dirs.journalDir();
    try (StoreLease lease = StoreAccess.open(journalDir, "journal", StoreOptions.defaults());
        StoreLease snapshotLease = options.snapshots() && StoreAccess.exists(dirs.snapshotDir())
            ? StoreAccess.open(dirs.snapshotDir(), "snapshot store", StoreOptions.defaults())
            : null) {
      LevelDbStore store = lease.store();
      LevelDbStore snapshotStore = snapshotLease == null ? null : snapshotLease.store();
      List<String> ids = options.persistenceIds().isEmpty()
          ? store.persistenceIds() : options.persistenceIds();
      long lines = 0;
      long snapshots = 0;
      int done = 0;
      for (String id : ids) {
        PersistenceIdState state = store.persistenceIdState(id);
        if (state.highestSequenceNr() == 0) {
          throw new JournalNotFoundException("Persistence id '" + id + "' has no events in the"
              + " journal " + journalDir + "; 'cairn ids' lists the ids it has");
        }
        // the snapshot first: one taken later may come with a deletion beyond the events read
        SnapshotRecord snapshot = snapshotStore == null ? null : newestSnapshot(snapshotStore, id);
        try (CloseableIterator<EventRecord> it = store.events(id, 1, Long.MAX_VALUE)) {
          EventRecord first = it.hasNext() ? it.next() : null;
          long deletedTo = first != null ? first.sequenceNr() - 1 : state.deletedTo();
          if (deletedTo > 0) {
            write(out, new ExportedDeletion(id, deletedTo).toJsonLine());
            if (snapshot == null) warnNoSnapshot(id, deletedTo);
          }
          if (snapshot != null) {
            write(out, ExportedSnapshot.of(codec, snapshot).toJsonLine());
            snapshots++;
          }
          if (first != null) {
            write(out, ExportedEvent.of(codec, first).toJsonLine());
            lines++;
          }
          while (it.hasNext()) {
            write(out, ExportedEvent.of(codec, it.next()).toJsonLine());
            lines++;
          }
        }
        options.progress().onProgress("export", ++done, ids.size());
      }
      out.flush();
      return new ExportSummary(ids.size(), lines, snapshots);
    } catch (IOException e) {
      throw new BackupException("Export of " + journalDir + " failed: " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new BackupException("Export of " + journalDir + " failed: "
          + e.getCause().getMessage(), e.getCause());
    }
  }

  /** The newest snapshot of {@code id} that passes its checksum (as recovery would load it). */
  private static SnapshotRecord newestSnapshot(LevelDbStore store, String id) {
    List<RawEntry> entries = store.snapshotEntries(id, 0L, Long.MAX_VALUE);
    for (int i = entries.size() - 1; i >= 0; i--) {
      RawEntry e = entries.get(i);
      long seqNr = Format.keyNumber(e.key());
      try {
        return Format.decodeSnapshot(id, seqNr, e.key(), e.value(),
            store.directory().toString());
      } catch (JournalStorageException ex) {
        log.warn("Export skips the damaged snapshot of persistence id [{}] at sequence number"
            + " [{}] and takes the next older one: {}", id, seqNr, ex.getMessage());
      }
    }
    return null;
  }

  private static void warnNoSnapshot(String id, long deletedTo) {
    log.warn("Persistence id [{}] has its events up to sequence number [{}] deleted and no"
        + " snapshot in the export: importing it is refused, since its actors would recover a"
        + " wrong state. Export it with its snapshots", id, deletedTo);
  }

  private static ExportedEvent line(
      Serialization serialization, PayloadCodec codec, EventEnvelope env) {
    Serialized event = serialize(serialization, codec, env.event());
    return new ExportedEvent(env.persistenceId(), env.sequenceNr(), env.timestamp(),
        Optional.empty(), List.of(), event.serializerId(), event.manifest(), event.payload(),
        false);
  }

  /** An object as an export line carries it: serializer, manifest and encoded bytes. */
  private record Serialized(int serializerId, String manifest, PayloadCodec.Encoded payload) {}

  private static Serialized serialize(Serialization serialization, PayloadCodec codec, Object o) {
    Serializer serializer = serialization.findSerializerFor(o);
    return new Serialized(serializer.identifier(), Serializers.manifestFor(serializer, o),
        codec.encode(serializer.identifier(), serializer.toBinary(o)));
  }

  private static void write(Writer out, ExportedEvent event) {
    write(out, event.toJsonLine());
  }

  private static void write(Writer out, String line) {
    try {
      out.write(line);
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
