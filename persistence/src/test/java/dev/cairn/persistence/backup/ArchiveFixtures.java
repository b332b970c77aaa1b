package dev.cairn.persistence.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import dev.cairn.persistence.leveldb.internal.Format;
import dev.cairn.persistence.leveldb.internal.LevelDbStores;
import dev.cairn.persistence.leveldb.internal.PersistenceIdState;
import dev.cairn.persistence.leveldb.internal.RawRestore;
import dev.cairn.persistence.leveldb.internal.RecordKind;
import dev.cairn.persistence.leveldb.internal.StoreOptions;
import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;

/** Builds LevelDB stores and hand-made (hostile) archives for the backup tests. */
final class ArchiveFixtures {
  private ArchiveFixtures() {}

  static DB open(Path dir) throws IOException {
    Files.createDirectories(dir);
    return JniDBFactory.factory.open(dir.toFile(), new Options().createIfMissing(true));
  }

  /** Writes a Cairn journal in {@code dir}: events 1..n for each (persistenceId, n). */
  static void fillJournal(Path dir, Map<String, Integer> eventsPerId) {
    try (RawRestore out = LevelDbStores.createForRestore(dir, StoreOptions.defaults())) {
      eventsPerId.forEach((pid, n) -> {
        byte[] idKey = Format.persistenceIdKey(pid);
        out.put(idKey, Format.encodePersistenceIdState(idKey, new PersistenceIdState(n, 0)));
        for (long seq = 1; seq <= n; seq++) {
          byte[] key = Format.eventKey(pid, seq);
          out.put(key, Format.encodeEvent(key, RecordKind.EVENT, 1_000 + seq, 4, "", "",
              "writer", List.of(), bytes(pid + " event " + seq)));
        }
      });
      out.finish();
    }
  }

  /** Writes a Cairn snapshot store in {@code dir}: one snapshot per (persistenceId, seqNr). */
  static void fillSnapshots(Path dir, Map<String, List<Long>> snapshotsPerId) {
    try (RawRestore out = LevelDbStores.createForRestore(dir, StoreOptions.defaults())) {
      snapshotsPerId.forEach((pid, seqNrs) -> {
        for (long seq : seqNrs) {
          byte[] key = Format.snapshotKey(pid, seq);
          out.put(key, Format.encodeSnapshot(key, 2_000 + seq, 4, "", bytes(pid + "@" + seq)));
        }
      });
      out.finish();
    }
  }

  /** Every pair of the LevelDB store in {@code dir}, as hex strings. */
  static Map<String, String> contents(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    java.util.HexFormat hex = java.util.HexFormat.of();
    try (DB db = JniDBFactory.factory.open(dir.toFile(), new Options().createIfMissing(false));
        DBIterator it = db.iterator()) {
      for (it.seekToFirst(); it.hasNext(); ) {
        Map.Entry<byte[], byte[]> e = it.next();
        out.put(hex.formatHex(e.getKey()), hex.formatHex(e.getValue()));
      }
    }
    return out;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The entries of a zip, in order, with their content. */
  static Map<String, byte[]> entries(Path zip) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      Enumeration<? extends ZipEntry> en = z.entries();
      while (en.hasMoreElements()) {
        ZipEntry e = en.nextElement();
        try (InputStream in = z.getInputStream(e)) {
          out.put(e.getName(), in.readAllBytes());
        }
      }
    }
    return out;
  }

  /** Writes a zip with these entries, in order. */
  static void writeZip(Path zip, Map<String, byte[]> entries) throws IOException {
    try (OutputStream file = Files.newOutputStream(zip);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue());
        out.closeEntry();
      }
    }
  }

  /** Copies {@code source} to {@code target}, changing one entry's content. */
  static void rewrite(Path source, Path target, String entry, UnaryOperator<byte[]> change)
      throws IOException {
    Map<String, byte[]> entries = entries(source);
    entries.put(entry, change.apply(entries.get(entry)));
    writeZip(target, entries);
  }

  /**
   * Marks the central directory record of {@code entry} as a Unix symbolic link, the way
   * {@code zip --symlinks} stores one.
   */
  static void markAsSymlink(Path zip, String entry) throws IOException {
    byte[] data = Files.readAllBytes(zip);
    ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    byte[] name = bytes(entry);
    for (int p = 0; p + 46 < data.length; p++) {
      if (buf.getInt(p) != 0x02014b50) continue;
      int nameLength = buf.getShort(p + 28) & 0xFFFF;
      if (nameLength != name.length) continue;
      if (!java.util.Arrays.equals(data, p + 46, p + 46 + nameLength, name, 0, name.length)) {
        continue;
      }
      buf.putShort(p + 4, (short) ((3 << 8) | 20)); // made by Unix
      buf.putInt(p + 38, (0120777) << 16); // S_IFLNK | 0777
      Files.write(zip, data);
      return;
    }
    throw new IllegalStateException("no central directory record for " + entry);
  }
}
