package dev.cairn.persistence.leveldb;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A journal whose directory is held by another process fails every recovery with the typed error. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JournalStartupFailureTest {
  private static final Path dir = TestConfigs.freshDir("locked");
  private Process other;

  @JUnit5TestKit
  final ActorTestKit testKit = ActorTestKit.create("JournalStartupFailureTest", TestConfigs.plugins(dir, ""));

  @BeforeAll
  void lockFromAnotherProcess() throws Exception {
    // another process holds LevelDB's lock before the journal starts (it opens lazily)
    other = LockHolder.start(dir.resolve("journal"));
  }

  @AfterAll
  void releaseLock() throws Exception {
    LockHolder.stop(other);
  }

  @Test
  void recoveryFailsWithDirectoryInUseNamingTheDirectory() {
    TestProbe<Object> monitor = testKit.createTestProbe();
    testKit.spawn(Recorder.create("locked-1", monitor.ref(), 0));
    Object outcome = monitor.receiveMessage();
    DirectoryInUseException e = assertInstanceOf(DirectoryInUseException.class, outcome);
    assertTrue(e.getMessage().contains("is in use by another process"), e.getMessage());
    assertTrue(e.getMessage().contains(dir.resolve("journal").getFileName().toString()), e.getMessage());
  }
}
