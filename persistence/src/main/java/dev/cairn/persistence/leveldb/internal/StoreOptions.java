package dev.cairn.persistence.leveldb.internal;

import com.typesafe.config.Config;
import java.util.Locale;

/**
 * How a LevelDB directory is opened. {@code nativeMode}: AUTO (leveldbjni, falling back to
 * the pure-Java port), ON (leveldbjni or fail), OFF (pure Java).
 */
public record StoreOptions(NativeMode nativeMode, boolean compression, long cacheSizeBytes, int writeBufferBytes,
    long writeAheadLogBytes, long minFreeBytes) {

  /** Default maximum size of the write-ahead log for synced writes (native LevelDB). */
  public static final long DEFAULT_WAL_BYTES = 64L * 1024 * 1024;

  /** Default space a write leaves free on the disk (LevelDB's flushes and compactions need it). */
  public static final long DEFAULT_MIN_FREE_BYTES = 64L * 1024 * 1024;

  public enum NativeMode { AUTO, ON, OFF }

  public static StoreOptions defaults() {
    return new StoreOptions(NativeMode.AUTO, true, 8L * 1024 * 1024, 4 * 1024 * 1024, DEFAULT_WAL_BYTES, DEFAULT_MIN_FREE_BYTES);
  }

  public StoreOptions withNativeMode(NativeMode mode) {
    return new StoreOptions(mode, compression, cacheSizeBytes, writeBufferBytes, writeAheadLogBytes, minFreeBytes);
  }

  /** {@code 0}: synced writes sync LevelDB's own log instead of going through a write-ahead log. */
  public StoreOptions withWriteAheadLogBytes(long bytes) {
    return new StoreOptions(nativeMode, compression, cacheSizeBytes, writeBufferBytes, bytes, minFreeBytes);
  }

  /** {@code 0}: no free-space check (a full disk then crashes the JVM inside native LevelDB). */
  public StoreOptions withMinFreeBytes(long bytes) {
    return new StoreOptions(nativeMode, compression, cacheSizeBytes, writeBufferBytes, writeAheadLogBytes, bytes);
  }

  /** Reads {@code native}, {@code compression}, {@code cache-size}, {@code write-buffer-size}, {@code write-ahead-log-size}, {@code min-free-space}. */
  public static StoreOptions fromConfig(Config c) {
    String n = c.getString("native").toLowerCase(Locale.ROOT);
    NativeMode mode;
    switch (n) {
      case "auto": mode = NativeMode.AUTO; break;
      case "on": case "true": case "yes": mode = NativeMode.ON; break;
      case "off": case "false": case "no": mode = NativeMode.OFF; break;
      default:
        throw new IllegalArgumentException("'native' must be auto, on or off, was [" + n + "]");
    }
    String comp = c.getString("compression").toLowerCase(Locale.ROOT);
    if (!comp.equals("snappy") && !comp.equals("none")) {
      throw new IllegalArgumentException("'compression' must be snappy or none, was [" + comp + "]");
    }
    long cache = c.getBytes("cache-size");
    long wb = c.getBytes("write-buffer-size");
    if (cache < 0) throw new IllegalArgumentException("'cache-size' must be >= 0, was [" + cache + "]");
    if (wb < 64 * 1024 || wb > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("'write-buffer-size' must be between 64KiB and 2GiB, was [" + wb + "]");
    }
    long wal = c.getBytes("write-ahead-log-size");
    if (wal != 0 && (wal < 64 * 1024 || wal > (1L << 40))) {
      throw new IllegalArgumentException("'write-ahead-log-size' must be 0 (off) or between 64KiB and 1TiB, was [" + wal + "]");
    }
    // a negative size is refused by Config itself (ConfigException.BadValue naming the setting)
    return new StoreOptions(mode, comp.equals("snappy"), cache, (int) wb, wal, c.getBytes("min-free-space"));
  }
}
