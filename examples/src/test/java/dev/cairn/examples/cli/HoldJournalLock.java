package dev.cairn.examples.cli;

import dev.cairn.persistence.leveldb.internal.LevelDbStores;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import dev.cairn.persistence.leveldb.internal.StoreOptions;
import java.nio.file.Path;

/**
 * Run in a child JVM by the tests: opens a journal directory (taking LevelDB's lock) the way a
 * running service does, prints "locked", and holds it until its standard input closes.
 */
public final class HoldJournalLock {
  private HoldJournalLock() {}

  public static void main(String[] args) throws Exception {
    try (StoreLease lease = LevelDbStores.acquire(Path.of(args[0]), StoreOptions.defaults())) {
      System.out.println(lease.store().isClosed() ? "closed" : "locked");
      System.out.flush();
      while (System.in.read() != -1) {
        // hold the lock until the parent closes our input
      }
    }
  }
}
