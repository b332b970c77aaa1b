package dev.cairn.persistence.backup.internal;

import dev.cairn.persistence.backup.ArchiveCorruptException;
import dev.cairn.persistence.backup.ArchiveLimits;
import dev.cairn.persistence.backup.UnsafeArchiveException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * INTERNAL API. Framing of raw key/value pairs in a data entry: the magic {@code CAIRN-KV}, a
 * version int, then per pair {@code int keyLength, key, int valueLength, value}, and a trailer
 * {@code int -1, long recordCount}. All ints big-endian.
 */
public final class KvFrames {
  private KvFrames() {}

  /** Writes frames; not thread-safe. */
  public static final class Writer {
    private final DataOutputStream out;
    private long records;

    public Writer(OutputStream out) throws IOException {
      this.out = new DataOutputStream(out);
      this.out.write(ArchiveFormat.KV_MAGIC);
      this.out.writeInt(ArchiveFormat.KV_VERSION);
    }

    public void write(byte[] key, byte[] value) throws IOException {
      out.writeInt(key.length);
      out.write(key);
      out.writeInt(value.length);
      out.write(value);
      records++;
    }

    public long records() {
      return records;
    }

    /** Writes the trailer and flushes; does not close the underlying stream. */
    public void finish() throws IOException {
      out.writeInt(-1);
      out.writeLong(records);
      out.flush();
    }
  }

  /** Receives each pair read. */
  @FunctionalInterface
  public interface PairSink {
    void accept(byte[] key, byte[] value) throws IOException;
  }

  /**
   * Reads every frame of {@code entry} and hands each pair to the sink, enforcing the limits.
   * Returns the number of records; throws when the framing is broken or a limit is exceeded.
   */
  public static long read(String entry, InputStream in, ArchiveLimits limits, PairSink sink)
      throws IOException {
    DataInputStream data = new DataInputStream(in);
    try {
      byte[] magic = data.readNBytes(ArchiveFormat.KV_MAGIC.length);
      if (!Arrays.equals(magic, ArchiveFormat.KV_MAGIC)) {
        throw new ArchiveCorruptException(
            "Entry '" + entry + "' does not start with the Cairn record header; the archive is"
                + " corrupt or not a Cairn backup");
      }
      int version = data.readInt();
      if (version != ArchiveFormat.KV_VERSION) {
        throw new ArchiveCorruptException(
            "Entry '" + entry + "' has record format version [" + version + "], expected ["
                + ArchiveFormat.KV_VERSION + "]");
      }
      long records = 0;
      while (true) {
        int keyLength = data.readInt();
        if (keyLength == -1) break;
        checkLength(entry, records, "key", keyLength, limits.maxKeyBytes());
        byte[] key = data.readNBytes(keyLength);
        if (key.length != keyLength) throw new EOFException();
        int valueLength = data.readInt();
        checkLength(entry, records, "value", valueLength, limits.maxValueBytes());
        byte[] value = data.readNBytes(valueLength);
        if (value.length != valueLength) throw new EOFException();
        records++;
        if (records > limits.maxRecords()) {
          throw new UnsafeArchiveException(
              "Entry '" + entry + "' holds more than " + limits.maxRecords()
                  + " records (ArchiveLimits.maxRecords); refusing to read it");
        }
        sink.accept(key, value);
      }
      long declared = data.readLong();
      if (declared != records) {
        throw new ArchiveCorruptException(
            "Entry '" + entry + "' ends with a record count of [" + declared + "] but holds ["
                + records + "] records; the entry is truncated or tampered with");
      }
      if (data.read() != -1) {
        throw new ArchiveCorruptException(
            "Entry '" + entry + "' has trailing bytes after its last record; it was tampered with");
      }
      return records;
    } catch (EOFException e) {
      throw new ArchiveCorruptException(
          "Entry '" + entry + "' ends in the middle of a record; the archive is truncated", e);
    }
  }

  private static void checkLength(String entry, long index, String what, int length, long max) {
    if (length < 0) {
      throw new ArchiveCorruptException(
          "Entry '" + entry + "' record #" + (index + 1) + " has a negative " + what
              + " length [" + length + "]; the entry is corrupt");
    }
    if (length > max) {
      throw new UnsafeArchiveException(
          "Entry '" + entry + "' record #" + (index + 1) + " declares a " + what + " of ["
              + length + "] bytes, above the limit of [" + max + "]; refusing it");
    }
  }
}
