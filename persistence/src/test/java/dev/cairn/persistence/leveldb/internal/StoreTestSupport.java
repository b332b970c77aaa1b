package dev.cairn.persistence.leveldb.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.Options;

/** Helpers for storage-layer tests: write events directly, tamper with raw records. */
final class StoreTestSupport {
  private StoreTestSupport() {}

  static AppendTask.Record event(String pid, long seqNr, String payload, String... tags) {
    return AppendTask.event(pid, seqNr, 1000L + seqNr, 20, "", "", "writer-1", List.of(tags),
        payload.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes events fromSeqNr..toSeqNr of pid, one atomic group each, synced. */
  static void writeEvents(LevelDbStore store, String pid, long fromSeqNr, long toSeqNr) {
    List<AppendTask.AtomicGroup> groups = new ArrayList<>();
    for (long s = fromSeqNr; s <= toSeqNr; s++) {
      groups.add(new AppendTask.AtomicGroup(pid, List.of(event(pid, s, "e-" + s))));
    }
    store.submit(new AppendTask(groups, true)).join();
  }

  /** Opens the directory with plain LevelDB (no Cairn checks), for tampering. */
  static DB rawOpen(Path dir, boolean nativeImpl) throws Exception {
    Options o = new Options().createIfMissing(false);
    return nativeImpl
        ? org.fusesource.leveldbjni.JniDBFactory.factory.open(dir.toFile(), o)
        : org.iq80.leveldb.impl.Iq80DBFactory.factory.open(dir.toFile(), o);
  }

  /** Copies a LevelDB directory as it is on disk (no LOCK file): while it is open, a simulated crash. */
  static void copyDir(Path from, Path to) throws java.io.IOException {
    java.nio.file.Files.createDirectories(to);
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (!p.getFileName().toString().equals("LOCK")) {
          java.nio.file.Files.copy(p, to.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** The persistence id's state record as stored, or null when it has none. */
  static PersistenceIdState recordOf(LevelDbStore store, String pid) {
    byte[] k = Format.persistenceIdKey(pid);
    byte[] v = store.getForWrite(k);
    return v == null ? null : Format.decodePersistenceIdState(pid, k, v, "test");
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
