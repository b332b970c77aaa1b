package dev.cairn.persistence.leveldb;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Actor system configurations for the plugin tests, each with fresh directories. */
final class TestConfigs {
  private TestConfigs() {}

  static Path freshDir(String name) {
    try {
      Path base = Paths.get("target", "test-journals");
      Files.createDirectories(base);
      return Files.createTempDirectory(base.toAbsolutePath(), name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Journal in {@code dir}/journal, snapshots in {@code dir}/snapshots, plus {@code extra}. */
  static Config plugins(Path dir, String extra) {
    return ConfigFactory.parseString(""
            + "pekko.persistence.journal.plugin = \"" + CairnLevelDb.JOURNAL_PLUGIN_ID + "\"\n"
            + "pekko.persistence.snapshot-store.plugin = \"" + CairnLevelDb.SNAPSHOT_PLUGIN_ID + "\"\n"
            + "cairn.persistence.journal.leveldb.dir = \"" + dir.resolve("journal") + "\"\n"
            + "cairn.persistence.snapshot-store.leveldb.dir = \"" + dir.resolve("snapshots") + "\"\n"
            + "cairn.persistence.query.leveldb.refresh-interval = 50ms\n"
            + "pekko.actor.testkit.typed.single-expect-default = 10s\n"
            + "pekko.actor.testkit.typed.expect-no-message-default = 200ms\n"
            + "pekko.loglevel = DEBUG\n"
            + "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]\n"
            + "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"\n"
            + extra)
        .withFallback(ConfigFactory.load()).resolve();
  }
}
