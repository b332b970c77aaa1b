package dev.cairn.persistence;

import static dev.cairn.persistence.PolicyTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link EventSourcedActor#withTagger}: user events carry the tags it returns, for eventsByTag queries. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaggerTest {

  @JUnit5TestKit
  public ActorTestKit kit = new JUnit5TestKitBuilder().withCustomConfig(testkitConfig()).build();

  @Test
  void theTaggerTagsEachUserEventForEventsByTag() throws Exception {
    String id = uniqueId("tagged");
    String tag = "even-" + id;
    var actor = Counter.actor(id)
        .withTagger(e -> e instanceof Counter.Added a && a.amount() % 2 == 0 ? Set.of(tag) : Set.of());
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    for (int i = 1; i <= 4; i++) add(kit, ref, i);
    PersistenceTestKitReadJournal query = PersistenceQuery.get(kit.system())
        .getReadJournalFor(PersistenceTestKitReadJournal.class, PersistenceTestKitReadJournal.Identifier());
    List<Object> tagged = query.currentEventsByTag(tag, Offset.noOffset()).map(EventEnvelope::event)
        .runWith(Sink.seq(), kit.system()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(List.of(new Counter.Added(2), new Counter.Added(4)), tagged);
  }
}
