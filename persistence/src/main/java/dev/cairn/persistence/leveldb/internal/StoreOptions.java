package dev.cairn.persistence.leveldb.internal;

import com.typesafe.config.Config;
import java.util.Locale;

/**
 * How a LevelDB directory is opened. {@code nativeMode}: AUTO (leveldbjni, falling back to
 * the pure-Java port), ON (leveldbjni or fail), OFF (pure Java).
 */
public record StoreOptions(NativeMode nativeMode, boolean compression, long cacheSizeBytes, int writeBufferBytes) {

  public enum NativeMode { AUTO, ON, OFF }

  public static StoreOptions defaults() {
    return new StoreOptions(NativeMode.AUTO, true, 8L * 1024 * 1024, 4 * 1024 * 1024);
  }

  public StoreOptions withNativeMode(NativeMode mode) {
    return new StoreOptions(mode, compression, cacheSizeBytes, writeBufferBytes);
  }

  /** Reads {@code native}, {@code compression}, {@code cache-size}, {@code write-buffer-size}. */
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
    return new StoreOptions(mode, comp.equals("snappy"), cache, (int) wb);
  }
}
