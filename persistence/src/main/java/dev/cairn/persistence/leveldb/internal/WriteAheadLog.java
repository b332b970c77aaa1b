package dev.cairn.persistence.leveldb.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Cairn's write-ahead log for synced writes ({@code fsync = on}, native LevelDB): one file,
 * {@value #FILE_NAME}, in the LevelDB directory, preallocated (zero-filled and synced in steps of
 * {@value #GROW_STEP} bytes) up to its maximum size and then reused from the start.
 *
 * <p>Why: syncing LevelDB's own log means an fdatasync of a file that grows, which also commits
 * the file system's metadata (the new size) and costs ~2x an fdatasync of data overwritten in
 * place (docs/benchmarks.md). A group commit writes its batch here and syncs it (overwrite in
 * place: the cheap kind), then applies it to LevelDB without a sync; only then is it visible to
 * readers and acknowledged. LevelDB's own files become durable at a checkpoint (a forced
 * memtable flush, whose table files LevelDB syncs), which runs before the log is reused and at
 * close. Opening a directory first applies the log records LevelDB does not have.
 *
 * <p>Record: magic {@code CWAL}, payload length, sequence number, CRC32C over length, sequence
 * number and payload, then the payload (the LevelDB batch's operations). Sequence numbers
 * increase by one from record to record; a scan from offset 0 stops at the first record that is
 * torn, damaged, zero-filled or from the previous pass over the file. Records are written in
 * order and a sync covers every earlier write, so an acknowledged record is never behind one
 * that is not: a record that fails its checksum while the next one is intact is damage, which
 * opening reports instead of dropping the records after it.
 */
final class WriteAheadLog implements Closeable {
  static final String FILE_NAME = "cairn-wal";
  private static final int MAGIC = 0x4357414c; // "CWAL"
  static final int HEADER = 4 + 4 + 8 + 4;
  static final int GROW_STEP = 1 << 20;
  private static final byte PUT = 1;
  private static final byte DELETE = 2;

  private final Path file;
  private final FileChannel ch;
  private final long maxSize;
  private long size; // preallocated: zero-filled and synced
  private long pos; // next record's offset

  private WriteAheadLog(Path file, FileChannel ch, long maxSize, long size) {
    this.file = file;
    this.ch = ch;
    this.maxSize = maxSize;
    this.size = size;
  }

  /** Opens (or creates) the log of {@code dir} for writing from offset 0. Scan it first. */
  static WriteAheadLog open(Path dir, long maxSize) throws IOException {
    Path f = dir.resolve(FILE_NAME);
    boolean created = !Files.exists(f);
    FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      if (created) {
        ch.force(true);
        syncDirectory(dir);
      }
      return new WriteAheadLog(f, ch, maxSize, ch.size());
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // not supported on every platform; LevelDB does not sync it either
    }
  }

  /** Whether a record with a payload of {@code len} bytes fits before the end (a first record always fits). */
  boolean fits(int len) {
    return pos == 0 || pos + HEADER + len <= maxSize;
  }

  /** Appends a record (not synced: see {@link #sync()}). */
  void append(long seq, byte[] payload, int len) throws IOException {
    long end = pos + HEADER + len;
    if (end > size) grow(end);
    ByteBuffer b = ByteBuffer.allocate(HEADER + len);
    b.putInt(MAGIC).putInt(len).putLong(seq).putInt(crc(len, seq, payload, len)).put(payload, 0, len).flip();
    long p = pos;
    while (b.hasRemaining()) p += ch.write(b, p);
    pos = end;
  }

  /** Zero-fills up to at least {@code end} (in steps) and syncs data and size, so that later syncs are overwrites. */
  private void grow(long end) throws IOException {
    long target = Math.max(end, Math.min(maxSize, size + GROW_STEP));
    ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
    long p = size;
    while (p < target) {
      zeros.clear().limit((int) Math.min(zeros.capacity(), target - p));
      p += ch.write(zeros, p);
    }
    ch.force(true);
    size = target;
  }

  /** Makes every record appended so far durable (an fdatasync of data overwritten in place). */
  void sync() throws IOException {
    ch.force(false);
  }

  /** The next record goes to offset 0 (everything before is durable in LevelDB: a checkpoint ran). */
  void rewind() {
    pos = 0;
  }

  /** Marks the log empty (after a checkpoint at close): the next scan finds no record. */
  void clear() throws IOException {
    if (size >= 4) {
      ch.write(ByteBuffer.allocate(4), 0);
      ch.force(false);
    }
    pos = 0;
  }

  @Override
  public void close() throws IOException {
    ch.close();
  }

  private static int crc(int len, long seq, byte[] payload, int payloadLen) {
    CRC32C c = new CRC32C();
    ByteBuffer h = ByteBuffer.allocate(12).putInt(len).putLong(seq);
    c.update(h.array(), 0, 12);
    c.update(payload, 0, payloadLen);
    return (int) c.getValue();
  }

  /** One record found by {@link #scan}. */
  record Record(long seq, byte[] payload) {}

  /**
   * What {@link #scan} found: the intact records, and the number of a record that fails its
   * checksum although the record after it is intact and numbered next (damage in the middle of
   * the log, not a torn last write), or -1.
   */
  record Scan(List<Record> records, long damagedSeq) {}

  /**
   * The records of the current pass over the log of {@code dir}: from offset 0, while each is
   * intact and numbered one after the previous one. Empty when there is no log.
   */
  static Scan scan(Path dir) throws IOException {
    Path f = dir.resolve(FILE_NAME);
    List<Record> out = new ArrayList<>();
    FileChannel ch;
    try {
      ch = FileChannel.open(f, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return new Scan(out, -1);
    }
    try (ch) {
      long size = ch.size();
      long p = 0;
      long expected = -1;
      while (true) {
        RecordAt r = read(ch, size, p, expected);
        if (r == null) break;
        if (!r.intact()) {
          // a torn last write leaves nothing intact after it; an intact next record means damage
          RecordAt next = read(ch, size, r.end(), r.seq() + 1);
          return new Scan(out, next != null && next.intact() ? r.seq() : -1);
        }
        out.add(new Record(r.seq(), r.payload()));
        expected = r.seq() + 1;
        p = r.end();
      }
    }
    return new Scan(out, -1);
  }

  /** A record header that is plausible at {@code p}: right magic, length within the file, the expected number. */
  private record RecordAt(long seq, byte[] payload, long end, boolean intact) {}

  private static RecordAt read(FileChannel ch, long size, long p, long expected) throws IOException {
    if (p + HEADER > size) return null;
    ByteBuffer h = ByteBuffer.allocate(HEADER);
    if (readFully(ch, h, p) < HEADER) return null;
    h.flip();
    if (h.getInt() != MAGIC) return null;
    int len = h.getInt();
    long seq = h.getLong();
    int crc = h.getInt();
    if (len < 0 || p + HEADER + len > size) return null;
    if (expected >= 0 && seq != expected) return null;
    ByteBuffer payload = ByteBuffer.allocate(len);
    if (readFully(ch, payload, p + HEADER) < len) return null;
    return new RecordAt(seq, payload.array(), p + HEADER + len, crc(len, seq, payload.array(), len) == crc);
  }

  private static int readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    int total = 0;
    while (b.hasRemaining()) {
      int n = ch.read(b, pos + total);
      if (n < 0) break;
      total += n;
    }
    return total;
  }

  // --------------------------------------------------------------- the batch's operations

  /** Records a LevelDB batch's operations as a log payload. */
  static final class Ops {
    private byte[] buf = new byte[512];
    private int len;

    void put(byte[] k, byte[] v) {
      ensure(1 + 4 + k.length + 4 + v.length);
      buf[len++] = PUT;
      putBytes(k);
      putBytes(v);
    }

    void delete(byte[] k) {
      ensure(1 + 4 + k.length);
      buf[len++] = DELETE;
      putBytes(k);
    }

    byte[] bytes() {
      return buf;
    }

    int length() {
      return len;
    }

    private void putBytes(byte[] b) {
      buf[len++] = (byte) (b.length >>> 24);
      buf[len++] = (byte) (b.length >>> 16);
      buf[len++] = (byte) (b.length >>> 8);
      buf[len++] = (byte) b.length;
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
    }

    private void ensure(int n) {
      if (len + n > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }

  /** Replays a payload's operations into {@code batch}. */
  static void replay(byte[] payload, org.iq80.leveldb.WriteBatch batch) {
    ByteBuffer b = ByteBuffer.wrap(payload);
    while (b.hasRemaining()) {
      byte op = b.get();
      byte[] k = new byte[b.getInt()];
      b.get(k);
      if (op == PUT) {
        byte[] v = new byte[b.getInt()];
        b.get(v);
        batch.put(k, v);
      } else if (op == DELETE) {
        batch.delete(k);
      } else {
        throw new IllegalStateException("write-ahead log record with unknown operation " + op);
      }
    }
  }
}
