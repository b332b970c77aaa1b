package dev.cairn.persistence.leveldb.internal;

import dev.cairn.persistence.leveldb.ChecksumMismatchException;
import dev.cairn.persistence.leveldb.UnknownRecordKindException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * On-disk format, version {@value #FORMAT_VERSION}. See docs/journal.md, "On-disk format".
 *
 * <p>Every key starts with a {@link KeyKind} byte. Every value starts with a {@link RecordKind}
 * byte and ends with a CRC32C (4 bytes, big-endian) computed over the full key followed by the
 * value without its last 4 bytes, so a value moved to another key (another persistence id or
 * sequence number) fails its check as surely as a flipped bit. Integers are big-endian; strings
 * UTF-8 with an unsigned 16-bit length.
 */
public final class Format {
  /**
   * The on-disk format version this code writes. Version 2 writes a persistence id's state
   * record (highest sequence number, deleted-to mark) on its first write, on deletions and at
   * state flushes (at most a second apart, and at close), no longer with every write: the
   * highest sequence number is the newer of that record and the id's last event. Version 1
   * (a record with every write) is read as it is and upgraded on open.
   */
  public static final int FORMAT_VERSION = 2;
  /** The oldest on-disk format version this code reads. */
  public static final int OLDEST_READABLE_FORMAT_VERSION = 1;
  public static final String META_FORMAT_VERSION = "format-version";
  public static final String META_LAST_ORDERING = "last-ordering";
  /** Sequence number of the newest write-ahead log record applied to LevelDB (local bookkeeping: not backed up). */
  public static final String META_WAL_SEQUENCE = "wal-sequence";
  private static final int CRC_LEN = 4;

  private Format() {}

  // ---------------------------------------------------------------- keys

  /** Whether this code reads data of on-disk format {@code version}. */
  public static boolean readable(int version) {
    return version >= OLDEST_READABLE_FORMAT_VERSION && version <= FORMAT_VERSION;
  }

  public static byte[] metaKey(String name) {
    byte[] n = utf8(name);
    byte[] k = new byte[1 + n.length];
    k[0] = (byte) KeyKind.META.id();
    System.arraycopy(n, 0, k, 1, n.length);
    return k;
  }

  /** The key holding the format version; a backup must carry it. */
  public static byte[] formatVersionKey() {
    return metaKey(META_FORMAT_VERSION);
  }

  public static byte[] persistenceIdKey(String pid) {
    byte[] p = utf8(pid);
    byte[] k = new byte[1 + p.length];
    k[0] = (byte) KeyKind.PERSISTENCE_ID.id();
    System.arraycopy(p, 0, k, 1, p.length);
    return k;
  }

  /** Prefix of all keys of {@code kind} (EVENT, TAG, SNAPSHOT) for one id or tag. */
  public static byte[] prefix(KeyKind kind, String idOrTag) {
    byte[] p = utf8(idOrTag);
    if (p.length > 0xFFFF) {
      throw new IllegalArgumentException("persistence id or tag longer than 65535 bytes: [" + idOrTag.substring(0, 64) + "...]");
    }
    byte[] k = new byte[3 + p.length];
    k[0] = (byte) kind.id();
    k[1] = (byte) (p.length >>> 8);
    k[2] = (byte) p.length;
    System.arraycopy(p, 0, k, 3, p.length);
    return k;
  }

  /** prefix + 8-byte big-endian number (sequence number or ordering). */
  public static byte[] numberedKey(byte[] prefix, long n) {
    byte[] k = new byte[prefix.length + 8];
    System.arraycopy(prefix, 0, k, 0, prefix.length);
    putLong(k, prefix.length, n);
    return k;
  }

  public static byte[] eventKey(String pid, long seqNr) {
    return numberedKey(prefix(KeyKind.EVENT, pid), seqNr);
  }

  public static byte[] snapshotKey(String pid, long seqNr) {
    return numberedKey(prefix(KeyKind.SNAPSHOT, pid), seqNr);
  }

  public static byte[] tagKey(String tag, long ordering) {
    return numberedKey(prefix(KeyKind.TAG, tag), ordering);
  }

  public static boolean startsWith(byte[] key, byte[] prefix) {
    if (key.length < prefix.length) return false;
    for (int i = 0; i < prefix.length; i++) {
      if (key[i] != prefix[i]) return false;
    }
    return true;
  }

  public static KeyKind keyKind(byte[] key) {
    return key.length == 0 ? KeyKind.UNKNOWN : KeyKind.of(key[0] & 0xFF);
  }

  /** Id or tag of a prefixed key (EVENT, TAG, SNAPSHOT); null if malformed. */
  public static String keyName(byte[] key) {
    if (key.length < 3 + 8) return null;
    int len = ((key[1] & 0xFF) << 8) | (key[2] & 0xFF);
    if (key.length != 3 + len + 8) return null;
    return new String(key, 3, len, StandardCharsets.UTF_8);
  }

  /** The trailing number of a prefixed key. */
  public static long keyNumber(byte[] key) {
    return getLong(key, key.length - 8);
  }

  public static String hex(byte[] key) {
    return HexFormat.of().formatHex(key);
  }

  // ---------------------------------------------------------------- checksums

  public static int crc(byte[] key, byte[] value, int valueLen) {
    CRC32C c = new CRC32C();
    c.update(key, 0, key.length);
    c.update(value, 0, valueLen);
    return (int) c.getValue();
  }

  /** Writes the CRC into the last 4 bytes of {@code value}. */
  public static byte[] seal(byte[] key, byte[] value) {
    int n = value.length - CRC_LEN;
    putInt(value, n, crc(key, value, n));
    return value;
  }

  public static boolean checksumOk(byte[] key, byte[] value) {
    if (value.length < 1 + CRC_LEN) return false;
    int n = value.length - CRC_LEN;
    return crc(key, value, n) == getInt(value, n);
  }

  public static RecordKind recordKind(byte[] value) {
    return value.length == 0 ? RecordKind.UNKNOWN : RecordKind.of(value[0] & 0xFF);
  }

  // ---------------------------------------------------------------- values

  public static byte[] encodeFormatVersion(byte[] key, int version) {
    byte[] v = new byte[1 + 4 + CRC_LEN];
    v[0] = 0; // meta values carry kind byte 0
    putInt(v, 1, version);
    return seal(key, v);
  }

  public static byte[] encodeMetaLong(byte[] key, long n) {
    byte[] v = new byte[1 + 8 + CRC_LEN];
    putLong(v, 1, n);
    return seal(key, v);
  }

  public static int decodeMetaInt(byte[] v) {
    return getInt(v, 1);
  }

  public static long decodeMetaLong(byte[] v) {
    return getLong(v, 1);
  }

  public static byte[] encodePersistenceIdState(byte[] key, PersistenceIdState s) {
    byte[] v = new byte[1 + 8 + 8 + CRC_LEN];
    v[0] = (byte) RecordKind.PERSISTENCE_ID_STATE.id();
    putLong(v, 1, s.highestSequenceNr());
    putLong(v, 9, s.deletedTo());
    return seal(key, v);
  }

  public static PersistenceIdState decodePersistenceIdState(String pid, byte[] key, byte[] v, String dir) {
    verify(pid, 0L, key, v, RecordKind.PERSISTENCE_ID_STATE, dir);
    return new PersistenceIdState(getLong(v, 1), getLong(v, 9));
  }

  /**
   * Event value: kind, timestamp(8), serializerId(4), serializer manifest, event adapter
   * manifest, writerUuid, tags, payload(u32 length), crc. A REJECTED marker has the same layout
   * with serializer 0 and no payload.
   */
  public static byte[] encodeEvent(
      byte[] key, RecordKind kind, long timestamp, int serializerId, String manifest, String adapterManifest,
      String writerUuid, Collection<String> tags, byte[] payload) {
    byte[] m = utf8(manifest);
    byte[] am = utf8(adapterManifest);
    byte[] w = utf8(writerUuid);
    int size = 1 + 8 + 4 + 2 + m.length + 2 + am.length + 2 + w.length + 2 + 4 + payload.length + CRC_LEN;
    byte[][] t = new byte[tags.size()][];
    int i = 0;
    for (String tag : tags) {
      t[i] = utf8(tag);
      size += 2 + t[i].length;
      i++;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put((byte) kind.id()).putLong(timestamp).putInt(serializerId);
    putStr(b, m);
    putStr(b, am);
    putStr(b, w);
    b.putShort((short) t.length);
    for (byte[] tb : t) putStr(b, tb);
    b.putInt(payload.length).put(payload);
    return seal(key, b.array());
  }

  public static EventRecord decodeEvent(String pid, long seqNr, byte[] key, byte[] v, boolean deleted, String dir) {
    return new EventDecoder().decode(pid, seqNr, key, v, deleted, dir);
  }

  /**
   * Decodes event values. Keeps the strings of the previous record: consecutive events of one
   * actor nearly always share manifest and writer uuid, so replay decodes them once.
   */
  public static final class EventDecoder {
    private final StringCache manifests = new StringCache();
    private final StringCache adapterManifests = new StringCache();
    private final StringCache writers = new StringCache();

    public EventRecord decode(String pid, long seqNr, byte[] key, byte[] v, boolean deleted, String dir) {
      RecordKind kind = verify(pid, seqNr, key, v, null, dir);
      if (kind != RecordKind.EVENT && kind != RecordKind.REJECTED) {
        throw new UnknownRecordKindException(pid, seqNr, v[0] & 0xFF, location(dir, key));
      }
      try {
        int end = v.length - CRC_LEN;
        int p = 1;
        long ts = getLong(v, p);
        p += 8;
        int ser = getInt(v, p);
        p += 4;
        int len = u16(v, p);
        String manifest = manifests.get(v, p + 2, len);
        p += 2 + len;
        len = u16(v, p);
        String adapterManifest = adapterManifests.get(v, p + 2, len);
        p += 2 + len;
        len = u16(v, p);
        String writer = writers.get(v, p + 2, len);
        p += 2 + len;
        int tagCount = u16(v, p);
        p += 2;
        List<String> tags = tagCount == 0 ? List.of() : new ArrayList<>(tagCount);
        for (int i = 0; i < tagCount; i++) {
          len = u16(v, p);
          tags.add(new String(v, p + 2, len, StandardCharsets.UTF_8));
          p += 2 + len;
        }
        int plen = getInt(v, p);
        p += 4;
        if (plen < 0 || p + plen != end) throw new IllegalArgumentException("payload length");
        byte[] payload = Arrays.copyOfRange(v, p, end);
        return new EventRecord(kind, pid, seqNr, writer, ts, 0L, ser, manifest, payload, tags, deleted, adapterManifest);
      } catch (RuntimeException e) {
        // checksum matched but layout is wrong: written by an incompatible writer
        throw new ChecksumMismatchException(pid, seqNr, location(dir, key) + " (malformed record)");
      }
    }
  }

  private static final class StringCache {
    private byte[] bytes = new byte[0];
    private String value = "";

    String get(byte[] a, int off, int len) {
      if (len != bytes.length || !Arrays.equals(a, off, off + len, bytes, 0, len)) {
        bytes = Arrays.copyOfRange(a, off, off + len);
        value = new String(bytes, StandardCharsets.UTF_8);
      }
      return value;
    }
  }

  private static int u16(byte[] a, int off) {
    return ((a[off] & 0xFF) << 8) | (a[off + 1] & 0xFF);
  }

  public static byte[] encodeSnapshot(byte[] key, long timestamp, int serializerId, String manifest, byte[] payload) {
    byte[] m = utf8(manifest);
    ByteBuffer b = ByteBuffer.allocate(1 + 8 + 4 + 2 + m.length + 4 + payload.length + CRC_LEN);
    b.put((byte) RecordKind.SNAPSHOT.id()).putLong(timestamp).putInt(serializerId);
    putStr(b, m);
    b.putInt(payload.length).put(payload);
    return seal(key, b.array());
  }

  public static SnapshotRecord decodeSnapshot(String pid, long seqNr, byte[] key, byte[] v, String dir) {
    verify(pid, seqNr, key, v, RecordKind.SNAPSHOT, dir);
    try {
      ByteBuffer b = ByteBuffer.wrap(v, 1, v.length - 1 - CRC_LEN);
      long ts = b.getLong();
      int ser = b.getInt();
      String manifest = getStr(b);
      byte[] payload = new byte[b.getInt()];
      b.get(payload);
      return new SnapshotRecord(pid, seqNr, ts, ser, manifest, payload);
    } catch (RuntimeException e) {
      throw new ChecksumMismatchException(pid, seqNr, location(dir, key) + " (malformed record)");
    }
  }

  /** Timestamp of a snapshot value without full decoding (after its checksum was verified). */
  public static long snapshotTimestamp(byte[] v) {
    return getLong(v, 1);
  }

  public static byte[] encodeTagEntry(byte[] key, String pid, long seqNr) {
    byte[] p = utf8(pid);
    ByteBuffer b = ByteBuffer.allocate(1 + 2 + p.length + 8 + CRC_LEN);
    b.put((byte) RecordKind.TAG_ENTRY.id());
    putStr(b, p);
    b.putLong(seqNr);
    return seal(key, b.array());
  }

  /** A decoded tag index entry. */
  public record TagEntry(String tag, long ordering, String persistenceId, long sequenceNr) {}

  public static TagEntry decodeTagEntry(byte[] key, byte[] v, String dir) {
    String tag = keyName(key);
    long ordering = keyNumber(key);
    verify("tag:" + tag, ordering, key, v, RecordKind.TAG_ENTRY, dir);
    ByteBuffer b = ByteBuffer.wrap(v, 1, v.length - 1 - CRC_LEN);
    String pid = getStr(b);
    return new TagEntry(tag, ordering, pid, b.getLong());
  }

  private static RecordKind verify(String pid, long seqNr, byte[] key, byte[] v, RecordKind expected, String dir) {
    if (!checksumOk(key, v)) {
      throw new ChecksumMismatchException(pid, seqNr, location(dir, key));
    }
    RecordKind kind = recordKind(v);
    if (kind == RecordKind.UNKNOWN || (expected != null && kind != expected)) {
      throw new UnknownRecordKindException(pid, seqNr, v[0] & 0xFF, location(dir, key));
    }
    return kind;
  }

  public static String location(String dir, byte[] key) {
    return "directory " + dir + " key " + hex(key);
  }

  // ---------------------------------------------------------------- primitives

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void putStr(ByteBuffer b, byte[] s) {
    if (s.length > 0xFFFF) throw new IllegalArgumentException("string longer than 65535 bytes");
    b.putShort((short) s.length).put(s);
  }

  private static String getStr(ByteBuffer b) {
    int len = b.getShort() & 0xFFFF;
    String s = new String(b.array(), b.position(), len, StandardCharsets.UTF_8);
    b.position(b.position() + len);
    return s;
  }

  static void putLong(byte[] a, int off, long n) {
    for (int i = 7; i >= 0; i--) {
      a[off + i] = (byte) n;
      n >>>= 8;
    }
  }

  static long getLong(byte[] a, int off) {
    long n = 0;
    for (int i = 0; i < 8; i++) n = (n << 8) | (a[off + i] & 0xFF);
    return n;
  }

  static void putInt(byte[] a, int off, int n) {
    a[off] = (byte) (n >>> 24);
    a[off + 1] = (byte) (n >>> 16);
    a[off + 2] = (byte) (n >>> 8);
    a[off + 3] = (byte) n;
  }

  static int getInt(byte[] a, int off) {
    return ((a[off] & 0xFF) << 24) | ((a[off + 1] & 0xFF) << 16) | ((a[off + 2] & 0xFF) << 8) | (a[off + 3] & 0xFF);
  }
}
