package dev.cairn.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.cairn.persistence.QuarantineRecord;
import dev.cairn.persistence.backup.internal.ExportedEvent;
import dev.cairn.persistence.backup.internal.PayloadCodec;
import dev.cairn.persistence.leveldb.internal.CloseableIterator;
import dev.cairn.persistence.leveldb.internal.EventRecord;
import dev.cairn.persistence.leveldb.internal.LevelDbStore;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Quarantined events: poison events that redo skipped, each with the durable quarantine record
 * Cairn's policies appended to the actor's journal ({@link QuarantineRecord}). Read from the
 * stored bytes (Jackson CBOR decoded to JSON), so the application's event classes are not
 * needed.
 */
@Command(
    name = "quarantine",
    mixinStandardHelpOptions = true,
    description = "List and show quarantined events (poison events skipped during redo).",
    subcommands = {QuarantineCommand.ListCommand.class, QuarantineCommand.ShowCommand.class})
final class QuarantineCommand implements Runnable {
  /** The event type of quarantine records, as Pekko's Jackson serializer names it. */
  static final String RECORD_MANIFEST = QuarantineRecord.class.getName();

  @ParentCommand CairnCli root;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "Missing subcommand: 'quarantine list' or 'quarantine show <id> [<seqNr>]'");
  }

  /** A quarantine record found in the journal. */
  record Found(String persistenceId, long recordSeqNr, long poisonSeqNr, String kind,
      String cause, String poisonManifest, long timestamp, JsonNode raw) {}

  static List<Found> scan(LevelDbStore store, String onlyId, PayloadCodec codec) {
    List<Found> found = new ArrayList<>();
    List<String> ids = onlyId == null ? store.persistenceIds() : List.of(onlyId);
    for (String id : ids) {
      try (CloseableIterator<EventRecord> it = store.events(id, 1, Long.MAX_VALUE)) {
        while (it.hasNext()) {
          EventRecord r = it.next();
          if (r.rejected() || !isRecord(r.manifest())) continue;
          JsonNode p = codec.encode(r.serializerId(), r.payload()).payload();
          found.add(new Found(id, r.sequenceNr(), p.path("sequenceNr").asLong(-1),
              p.path("kind").asText("?"), p.path("cause").asText("?"),
              p.path("manifest").asText("?"), p.path("timestampMillis").asLong(r.timestamp()),
              p));
        }
      }
    }
    return found;
  }

  private static boolean isRecord(String manifest) {
    int hash = manifest.indexOf('#'); // Jackson manifests may carry a schema version
    return (hash < 0 ? manifest : manifest.substring(0, hash)).equals(RECORD_MANIFEST);
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List every quarantined event: persistence id, sequence number, kind, cause.")
  static final class ListCommand implements Callable<Integer> {
    @ParentCommand QuarantineCommand parent;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (StoreLease lease = CliStores.openJournal(parent.root.dir)) {
        List<Found> found = scan(lease.store(), null, PayloadCodec.fromConfig(ConfigFactory.load()));
        for (Found f : found) {
          out.printf("%-30s #%-8d %-16s %s%n", f.persistenceId(), f.poisonSeqNr(), f.kind(),
              f.cause());
        }
        out.printf("%d quarantined event%s%n", found.size(), found.size() == 1 ? "" : "s");
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show the quarantine records of one persistence id with the poison events"
          + " themselves (decoded).")
  static final class ShowCommand implements Callable<Integer> {
    @ParentCommand QuarantineCommand parent;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<id>", description = "The persistence id.")
    String persistenceId;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<seqNr>",
        description = "Only the poison event with this sequence number.")
    Long seqNr;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PayloadCodec codec = PayloadCodec.fromConfig(ConfigFactory.load());
      try (StoreLease lease = CliStores.openJournal(parent.root.dir)) {
        LevelDbStore store = lease.store();
        if (store.highestSequenceNr(persistenceId) == 0) {
          throw new CliException(ExitCodes.NOT_FOUND, "Persistence id '" + persistenceId
              + "' has no events in " + parent.root.dir);
        }
        List<Found> found = new ArrayList<>();
        for (Found f : scan(store, persistenceId, codec)) {
          if (seqNr == null || f.poisonSeqNr() == seqNr) found.add(f);
        }
        if (found.isEmpty()) {
          throw new CliException(ExitCodes.NOT_FOUND, "No quarantined event"
              + (seqNr == null ? "" : " #" + seqNr) + " for '" + persistenceId + "'");
        }
        for (Found f : found) {
          out.printf("quarantined event #%d of '%s'%n", f.poisonSeqNr(), f.persistenceId());
          out.printf("  kind:      %s%n  cause:     %s%n  type:      %s%n", f.kind(), f.cause(),
              f.poisonManifest());
          out.printf("  recorded:  %s (record at sequence number %d)%n",
              Instant.ofEpochMilli(f.timestamp()), f.recordSeqNr());
          EventRecord poison = f.poisonSeqNr() > 0 ? store.event(persistenceId, f.poisonSeqNr())
              : null;
          out.printf("  event:     %s%n", poison == null ? "(no longer in the journal)"
              : EventsCommand.human(ExportedEvent.of(codec, poison)).trim());
        }
      }
      out.flush();
      return ExitCodes.OK;
    }
  }
}
