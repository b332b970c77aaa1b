package dev.cairn.persistence.backup;

import dev.cairn.persistence.backup.internal.ExportedEvent;
import dev.cairn.persistence.backup.internal.PayloadCodec;
import dev.cairn.persistence.backup.internal.ReplyQueue;
import com.typesafe.config.ConfigFactory;
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
import java.util.Set;
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
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a JSON Lines export ({@link JournalExport}) into any Pekko journal plugin, through the
 * plugin's own write protocol, so the events land exactly as if their actors had persisted them
 * (tags included).
 *
 * <p>The file is read twice. The first pass checks every line (JSON, fields, sequence numbers
 * increasing by one per persistence id, payload deserializable by Pekko serialization, so the
 * event classes must be on the classpath) and asks the journal for each id's highest sequence
 * number: an id that already has events at or after its first imported sequence number is
 * refused. Only then does the second pass write, in batches, waiting for the journal to confirm
 * each batch. A problem in the first pass writes nothing.
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

  private static final class Run {
    private final ActorSystem<?> system;
    private final String pluginId;
    private final Path file;
    private final ImportOptions options;
    private final Serialization serialization;
    private final BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
    private final String importWriter = UUID.randomUUID().toString();

    Run(ActorSystem<?> system, String pluginId, Path file, ImportOptions options) {
      this.system = system;
      this.pluginId = pluginId;
      this.file = file;
      this.options = options;
      this.serialization = SerializationExtension.get(system);
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
        Map<String, long[]> ranges = check();
        for (Map.Entry<String, long[]> e : ranges.entrySet()) {
          long highest = highestSeqNr(journal, replyTo, e.getKey());
          if (highest >= e.getValue()[0]) {
            throw new ImportException("Persistence id '" + e.getKey() + "' already has events"
                + " up to sequence number " + highest + " in journal '" + pluginId
                + "', and the import starts at " + e.getValue()[0]
                + ". Import only into a journal without these ids; nothing was written");
          }
        }
        long total = ranges.values().stream().mapToLong(r -> r[2]).sum();
        long written = write(journal, replyTo, total);
        log.info("Imported {} events of {} persistence ids from {} into journal '{}'",
            written, ranges.size(), file, pluginId);
        return new ImportSummary(ranges.size(), written);
      } catch (IOException e) {
        throw new ImportException("Cannot read import file " + file + ": " + e.getMessage(), e);
      } finally {
        replyTo.tell(PoisonPill.getInstance(), ActorRef.noSender());
      }
    }

    /** First pass: every line valid; returns per id {first seqNr, last seqNr, count}. */
    private Map<String, long[]> check() throws IOException {
      Map<String, long[]> ranges = new LinkedHashMap<>();
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        long number = 0;
        while ((line = in.readLine()) != null) {
          number++;
          if (line.isBlank()) continue;
          ExportedEvent event = parse(line, number);
          if (!event.rejected()) toEvent(event, number);
          long[] range = ranges.get(event.persistenceId());
          if (range == null) {
            ranges.put(event.persistenceId(), new long[] {event.seqNr(), event.seqNr(), 1});
          } else {
            if (event.seqNr() != range[1] + 1) {
              throw new ImportException("Line " + number + " of " + file + ": persistence id '"
                  + event.persistenceId() + "' has sequence number " + event.seqNr()
                  + " after " + range[1] + "; sequence numbers must increase by one. Nothing"
                  + " was written");
            }
            range[1] = event.seqNr();
            range[2]++;
          }
        }
      }
      return ranges;
    }

    /** Second pass: write in batches, each event its own atomic write. */
    private long write(ActorRef journal, ActorRef replyTo, long total) throws IOException {
      long written = 0;
      long skipped = 0;
      List<AtomicWrite> batch = new ArrayList<>();
      long firstLineOfBatch = 1;
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        long number = 0;
        while ((line = in.readLine()) != null) {
          number++;
          if (line.isBlank()) continue;
          ExportedEvent event = parse(line, number);
          if (event.rejected()) {
            skipped++;
            continue; // the source had no event at this sequence number
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
        }
      }
      if (!batch.isEmpty()) written += send(journal, replyTo, batch, firstLineOfBatch, written);
      options.progress().onProgress("import", written, total);
      if (skipped > 0) {
        log.warn("Import of {} wrote nothing for {} sequence numbers whose events the source"
            + " journal had rejected; a journal that requires contiguous sequence numbers refuses"
            + " the events after them", file, skipped);
      }
      return written;
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

    private ExportedEvent parse(String line, long number) {
      try {
        return ExportedEvent.parse(line);
      } catch (IllegalArgumentException e) {
        throw new ImportException("Line " + number + " of " + file + " is not an exported event: "
            + e.getMessage() + ". Nothing was written");
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
