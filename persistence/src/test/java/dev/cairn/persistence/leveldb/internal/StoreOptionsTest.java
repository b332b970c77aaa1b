package dev.cairn.persistence.leveldb.internal;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class StoreOptionsTest {
  private static Config journal(String overrides) {
    return ConfigFactory.parseString(overrides)
        .withFallback(ConfigFactory.load().getConfig("cairn.persistence.journal.leveldb"));
  }

  @Test
  void referenceDefaultsAreAutoNativeWithSnappy() {
    StoreOptions o = StoreOptions.fromConfig(journal(""));
    assertEquals(StoreOptions.NativeMode.AUTO, o.nativeMode());
    assertTrue(o.compression());
    assertEquals(8L * 1024 * 1024, o.cacheSizeBytes());
    assertEquals(64L * 1024 * 1024, o.writeAheadLogBytes());
    assertEquals(64L * 1024 * 1024, o.minFreeBytes());
  }

  @Test
  void negativeMinFreeSpaceIsRejected() {
    assertEquals(0L, StoreOptions.fromConfig(journal("min-free-space = 0")).minFreeBytes());
    var e = assertThrows(com.typesafe.config.ConfigException.BadValue.class,
        () -> StoreOptions.fromConfig(journal("min-free-space = -1")));
    assertTrue(e.getMessage().contains("min-free-space"), e.getMessage());
  }

  @Test
  void writeAheadLogSizeIsZeroOrAtLeast64KiB() {
    assertEquals(0L, StoreOptions.fromConfig(journal("write-ahead-log-size = 0")).writeAheadLogBytes());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StoreOptions.fromConfig(journal("write-ahead-log-size = 1 KiB")));
    assertEquals("'write-ahead-log-size' must be 0 (off) or between 64KiB and 1TiB, was [1024]", e.getMessage());
  }

  @Test
  void unknownNativeModeIsRejectedWithTheOffendingValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StoreOptions.fromConfig(journal("native = maybe")));
    assertEquals("'native' must be auto, on or off, was [maybe]", e.getMessage());
  }

  @Test
  void unknownCompressionIsRejectedWithTheOffendingValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StoreOptions.fromConfig(journal("compression = zstd")));
    assertEquals("'compression' must be snappy or none, was [zstd]", e.getMessage());
  }

  @Test
  void emptyDirectoryIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PluginSettings.fromConfig(journal("dir = \"\"")));
    assertTrue(e.getMessage().contains("'dir'"), e.getMessage());
  }
}
