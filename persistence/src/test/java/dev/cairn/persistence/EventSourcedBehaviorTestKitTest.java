package dev.cairn.persistence;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A Cairn actor can be unit-tested with Pekko's EventSourcedBehaviorTestKit like any event-sourced behavior. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventSourcedBehaviorTestKitTest {

  @JUnit5TestKit
  public ActorTestKit kit = new JUnit5TestKitBuilder().withCustomConfig(EventSourcedBehaviorTestKit.config()
      .withFallback(PersistenceTestKitSnapshotPlugin.getInstance().config())
      .withFallback(ConfigFactory.load())).build();

  @Test
  void commandsPersistUnwrappedUserEventsAndRestartRedoes() {
    EventSourcedBehaviorTestKit<Counter.Cmd, Object, Object> testKit = EventSourcedBehaviorTestKit.create(kit.system(),
        Counter.actor(PolicyTestSupport.uniqueId("esb-testkit")).withCheckpointPolicy(CheckpointPolicy.everyEvents(2)).behavior(),
        EventSourcedBehaviorTestKit.disabledSerializationSettings());
    var result = testKit.<Long>runCommand(replyTo -> new Counter.AddAll(List.of(3, 4), replyTo));
    assertEquals(List.of(new Counter.Added(3), new Counter.Added(4)), result.events());
    assertEquals(7L, result.reply());
    testKit.restart();
    assertEquals(9L, testKit.<Long>runCommand(replyTo -> new Counter.Add(2, replyTo)).reply());
  }
}
