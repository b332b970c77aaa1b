package dev.cairn.examples.cli;

import dev.cairn.persistence.leveldb.internal.StoreLease;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "ids",
    mixinStandardHelpOptions = true,
    description = "List the persistence ids in the journal, one per line.")
final class IdsCommand implements Callable<Integer> {
  @ParentCommand CairnCli root;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (StoreLease lease = CliStores.openJournal(root.dir)) {
      lease.store().persistenceIds().forEach(out::println);
    }
    out.flush();
    return ExitCodes.OK;
  }
}
