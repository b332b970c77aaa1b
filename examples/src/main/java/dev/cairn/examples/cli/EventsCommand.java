package dev.cairn.examples.cli;

import com.typesafe.config.ConfigFactory;
import dev.cairn.persistence.backup.internal.ExportedEvent;
import dev.cairn.persistence.backup.internal.PayloadCodec;
import dev.cairn.persistence.leveldb.internal.CloseableIterator;
import dev.cairn.persistence.leveldb.internal.EventRecord;
import dev.cairn.persistence.leveldb.internal.PersistenceIdState;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description = {
      "Print the events of one persistence id, in sequence number order.",
      "Payloads are decoded from their stored bytes (Jackson JSON and CBOR as JSON, other"
          + " serializers as base64); the event classes need not be on the classpath."
    })
final class EventsCommand implements Callable<Integer> {
  @ParentCommand CairnCli root;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<id>", description = "The persistence id.")
  String persistenceId;

  @Option(names = "--from", paramLabel = "N", defaultValue = "1",
      description = "First sequence number (default: ${DEFAULT-VALUE}).")
  long from;

  @Option(names = "--to", paramLabel = "N", defaultValue = "" + Long.MAX_VALUE,
      description = "Last sequence number (default: the highest).")
  long to;

  @Option(names = "--json",
      description = "One JSON object per line, in the export format (see docs/operations.md).")
  boolean json;

  @Override
  public Integer call() {
    if (from < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "'--from' must be >= 1, was [" + from + "]");
    }
    if (to < from) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "'--to' must be >= '--from' (" + from + "), was [" + to + "]");
    }
    PrintWriter out = spec.commandLine().getOut();
    PayloadCodec codec = PayloadCodec.fromConfig(ConfigFactory.load());
    try (StoreLease lease = CliStores.openJournal(root.dir)) {
      PersistenceIdState state = lease.store().persistenceIdState(persistenceId);
      if (state.highestSequenceNr() == 0) {
        throw new CliException(ExitCodes.NOT_FOUND, "Persistence id '" + persistenceId
            + "' has no events in " + root.dir + "; 'cairn ids' lists the ids it has");
      }
      try (CloseableIterator<EventRecord> it = lease.store().events(persistenceId, from, to)) {
        while (it.hasNext()) {
          ExportedEvent line = ExportedEvent.of(codec, it.next());
          out.println(json ? line.toJsonLine() : human(line));
        }
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  static String human(ExportedEvent e) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("%8d  %s  ", e.seqNr(), Instant.ofEpochMilli(e.timestamp())));
    if (e.rejected()) {
      return b.append("(rejected by the journal when written: no event at this sequence number)")
          .toString();
    }
    b.append(e.manifest().isEmpty() ? "(no manifest)" : e.manifest());
    if (!e.tags().isEmpty()) b.append("  tags=").append(String.join(",", e.tags()));
    b.append("  ").append(e.payload().payload().toString());
    return b.toString();
  }
}
