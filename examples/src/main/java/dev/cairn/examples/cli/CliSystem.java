package dev.cairn.examples.cli;

import com.typesafe.config.Config;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** An actor system for the commands that speak Pekko plugin protocols (export, import). */
final class CliSystem implements AutoCloseable {
  final ActorSystem<Void> system;

  CliSystem(Config config) {
    this.system = ActorSystem.create(Behaviors.empty(), "cairn-cli", config);
  }

  @Override
  public void close() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().orTimeout(
        Duration.ofSeconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).join();
  }
}
