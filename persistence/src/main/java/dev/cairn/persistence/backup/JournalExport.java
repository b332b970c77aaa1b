package dev.cairn.persistence.backup;

import dev.cairn.persistence.backup.internal.ExportedEvent;
import dev.cairn.persistence.backup.internal.PayloadCodec;
import com.typesafe.config.Config;
import dev.cairn.persistence.backup.internal.StoreAccess;
import dev.cairn.persistence.leveldb.internal.CloseableIterator;
import dev.cairn.persistence.leveldb.internal.EventRecord;
import dev.cairn.persistence.leveldb.internal.LevelDbStore;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import dev.cairn.persistence.leveldb.internal.StoreOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
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

/**
 * Exports the events of a journal as JSON Lines, one event per line, grouped per persistence
 * id in sequence number order, through any Pekko read journal that supports
 * {@code currentPersistenceIds} and {@code currentEventsByPersistenceId}. Each event is
 * serialized with Pekko serialization and written as JSON (Jackson payloads as their JSON tree,
 * other serializers as base64), so {@link JournalImport} can write it into any journal plugin.
 *
 * <p>A line: {@code {"persistenceId":"account-1","seqNr":1,"timestamp":1700000000000,
 * "tags":[],"serializerId":33,"manifest":"com.example.Deposited","encoding":"cbor",
 * "payload":{"amount":10}}}. Pekko's query envelope carries neither tags nor writer uuid, so
 * an export through a read journal has {@code "tags":[]} and no {@code writerUuid}.
 */
public final class JournalExport {
  private JournalExport() {}

  /**
   * Writes every event (or those of {@link ExportOptions#persistenceIds()}) to {@code out}.
   * The writer is flushed, not closed.
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
    Serialization serialization = SerializationExtension.get(system);
    PayloadCodec codec = PayloadCodec.fromConfig(system.settings().config());
    AtomicLong lines = new AtomicLong();
    return ids.thenCompose(list -> {
      CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
      for (int i = 0; i < list.size(); i++) {
        String id = list.get(i);
        int done = i + 1;
        chain = chain
            .thenCompose(x -> events.currentEventsByPersistenceId(id, 0L, Long.MAX_VALUE)
                .runForeach(env -> {
                  write(out, line(serialization, codec, env));
                  lines.incrementAndGet();
                }, system))
            .thenAccept(x -> options.progress().onProgress("export", done, list.size()));
      }
      return chain.thenApply(x -> {
        try {
          out.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return new ExportSummary(list.size(), lines.get());
      });
    });
  }

  /**
   * Writes the events of Cairn's LevelDB journal in {@code journalDir} to {@code out}, reading
   * the store directly: online when a plugin of this process has it open, otherwise by opening
   * it (refused with {@link JournalInUseException} when another process holds it). Unlike an
   * export through a read journal, the lines carry the stored tags and writer uuid, and the
   * event classes need not be on the classpath: payloads are decoded from their stored bytes.
   *
   * @param pekkoConfig configuration naming the serializers (for which ids are Jackson JSON or
   *     CBOR), usually {@code ConfigFactory.load()}
   * @throws JournalNotFoundException when the directory or a named persistence id does not exist
   */
  public static ExportSummary exportStore(
      Path journalDir, Config pekkoConfig, Writer out, ExportOptions options) {
    PayloadCodec codec = PayloadCodec.fromConfig(pekkoConfig);
    try (StoreLease lease = StoreAccess.open(journalDir, "journal", StoreOptions.defaults())) {
      LevelDbStore store = lease.store();
      List<String> ids = options.persistenceIds().isEmpty()
          ? store.persistenceIds() : options.persistenceIds();
      long lines = 0;
      int done = 0;
      for (String id : ids) {
        if (store.highestSequenceNr(id) == 0) {
          throw new JournalNotFoundException("Persistence id '" + id + "' has no events in the"
              + " journal " + journalDir + "; 'cairn ids' lists the ids it has");
        }
        try (CloseableIterator<EventRecord> it = store.events(id, 1, Long.MAX_VALUE)) {
          while (it.hasNext()) {
            write(out, ExportedEvent.of(codec, it.next()));
            lines++;
          }
        }
        options.progress().onProgress("export", ++done, ids.size());
      }
      out.flush();
      return new ExportSummary(ids.size(), lines);
    } catch (IOException e) {
      throw new BackupException("Export of " + journalDir + " failed: " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new BackupException("Export of " + journalDir + " failed: "
          + e.getCause().getMessage(), e.getCause());
    }
  }

  private static ExportedEvent line(
      Serialization serialization, PayloadCodec codec, EventEnvelope env) {
    Object event = env.event();
    Serializer serializer = serialization.findSerializerFor(event);
    byte[] bytes = serializer.toBinary(event);
    return new ExportedEvent(env.persistenceId(), env.sequenceNr(), env.timestamp(),
        Optional.empty(), List.of(), serializer.identifier(),
        Serializers.manifestFor(serializer, event),
        codec.encode(serializer.identifier(), bytes), false);
  }

  private static void write(Writer out, ExportedEvent event) {
    try {
      out.write(event.toJsonLine());
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
