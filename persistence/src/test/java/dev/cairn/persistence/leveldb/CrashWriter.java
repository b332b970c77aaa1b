package dev.cairn.persistence.leveldb;

import com.typesafe.config.Config;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Child process of {@link ProcessCrashTest}: an actor system with Cairn's LevelDB journal and
 * snapshot store in {@code <dir>/journal} and {@code <dir>/snapshots} (as {@link TestConfigs}
 * sets them up) and {@code <actors>} {@link CrashCounter}s that persist until the process is
 * killed, each printing {@code ACK <persistenceId> <sequenceNr>} to stdout after every
 * acknowledged write. The first actor snapshots every {@code <snapshotEvery>} events.
 *
 * <p>Arguments: {@code <dir> <fsync on|off> <actors> <snapshotEvery>}. The process halts when
 * its stdin closes (the test JVM is gone) or after five minutes, so it can never outlive a
 * failed test for long.
 */
public final class CrashWriter {
  private CrashWriter() {}

  static String persistenceId(int i) {
    return "crash-" + i;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args[0]);
    String fsync = args[1];
    int actors = Integer.parseInt(args[2]);
    int snapshotEvery = Integer.parseInt(args[3]);
    PrintStream acks = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // the test never writes: EOF means it is gone
        }
      } catch (java.io.IOException e) {
        // stdin broken: same as EOF
      }
      Runtime.getRuntime().halt(3);
    }, "crash-writer-stdin-watch");
    watchdog.setDaemon(true);
    watchdog.start();
    Thread timeout = new Thread(() -> {
      try {
        Thread.sleep(300_000L);
      } catch (InterruptedException e) {
        return;
      }
      Runtime.getRuntime().halt(4);
    }, "crash-writer-timeout");
    timeout.setDaemon(true);
    timeout.start();

    Config config = TestConfigs.plugins(dir, ""
        + "cairn.persistence.journal.leveldb.fsync = " + fsync + "\n"
        + "cairn.persistence.snapshot-store.leveldb.fsync = " + fsync + "\n"
        + "pekko.loglevel = WARNING\n");
    ActorSystem.create(Behaviors.setup(ctx -> {
      for (int i = 0; i < actors; i++) {
        ctx.spawn(CrashCounter.driving(persistenceId(i), i == 0 ? snapshotEvery : 0, acks), persistenceId(i));
      }
      return Behaviors.empty();
    }), "CrashWriter", config);
    // runs until killed
  }
}
