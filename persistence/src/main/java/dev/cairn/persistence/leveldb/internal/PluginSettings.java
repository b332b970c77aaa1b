package dev.cairn.persistence.leveldb.internal;

import com.typesafe.config.Config;
import java.nio.file.Path;

/** Settings shared by the journal and the snapshot store, read from their plugin config. */
record PluginSettings(Path dir, StoreOptions storeOptions, boolean fsync) {
  static PluginSettings fromConfig(Config c) {
    String dir = c.getString("dir");
    if (dir.isBlank()) throw new IllegalArgumentException("'dir' must not be empty");
    return new PluginSettings(Path.of(dir), StoreOptions.fromConfig(c), c.getBoolean("fsync"));
  }
}
