package dev.cairn.bench.journal;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Benchmark only, not a journal: the framework ceiling. It keeps events in the heap and answers
 * Pekko's journal protocol directly from its own {@code receive}, with the fewest messages the
 * protocol allows (the replies Cairn's journal sends), no futures, no circuit breaker, no I/O.
 * No journal that stores anything can be faster inside Pekko's typed persistence on the same
 * machine, so its rate bounds every target ratio from above.
 *
 * <p>With {@code serialize = on} it also serializes every event on write (keeping the bytes, not
 * the object) and deserializes it on replay, through Pekko serialization: the least any journal
 * that keeps its events outside the heap pays, still without I/O, checksums or an index.
 */
public final class CeilingJournal extends AbstractActor {
  private record Stored(PersistentRepr repr, int serializerId, String manifest, byte[] bytes) {}

  private final boolean serialize;
  private final Serialization serialization;
  private final Map<String, List<Stored>> events = new HashMap<>();

  public CeilingJournal(Config config) {
    this.serialize = config.getBoolean("serialize");
    this.serialization = SerializationExtension.get(context().system());
  }

  @Override
  public Receive createReceive() {
    return receiveBuilder()
        .match(JournalProtocol.WriteMessages.class, this::write)
        .match(JournalProtocol.ReplayMessages.class, this::replay)
        .match(JournalProtocol.DeleteMessagesTo.class,
            d -> d.persistentActor().tell(new org.apache.pekko.persistence.DeleteMessagesSuccess(d.toSequenceNr()), self()))
        .build();
  }

  private void write(JournalProtocol.WriteMessages w) {
    ActorRef actor = w.persistentActor();
    boolean anySender = false;
    for (PersistentEnvelope e : CollectionConverters.asJava(w.messages())) {
      AtomicWrite aw = (AtomicWrite) e;
      for (PersistentRepr p : CollectionConverters.asJava(aw.payload())) {
        if (p.sender() != null) anySender = true;
        events.computeIfAbsent(p.persistenceId(), k -> new ArrayList<>()).add(store(p));
      }
    }
    // Cairn's reply set: WriteMessagesSuccessful only where the writer acts on it (see LevelDbJournal)
    if (anySender) actor.tell(JournalProtocol.WriteMessagesSuccessful$.MODULE$, self());
    for (PersistentEnvelope e : CollectionConverters.asJava(w.messages())) {
      for (PersistentRepr p : CollectionConverters.asJava(((AtomicWrite) e).payload())) {
        actor.tell(new JournalProtocol.WriteMessageSuccess(p, w.actorInstanceId()), p.sender());
      }
    }
  }

  private Stored store(PersistentRepr p) {
    if (!serialize) return new Stored(p, 0, null, null);
    Object payload = p.payload();
    Serializer s = serialization.findSerializerFor(payload);
    return new Stored(p.withPayload(null), s.identifier(), Serializers.manifestFor(s, payload), s.toBinary(payload));
  }

  private void replay(JournalProtocol.ReplayMessages r) {
    List<Stored> list = events.getOrDefault(r.persistenceId(), List.of());
    ActorRef actor = r.persistentActor();
    long sent = 0;
    for (Stored s : list) {
      long nr = s.repr().sequenceNr();
      if (nr < r.fromSequenceNr() || nr > r.toSequenceNr()) continue;
      if (sent++ >= r.max()) break;
      PersistentRepr p = s.repr();
      if (serialize) p = p.withPayload(serialization.deserialize(s.bytes(), s.serializerId(), s.manifest()).get());
      actor.tell(new JournalProtocol.ReplayedMessage(p), ActorRef.noSender());
    }
    long highest = list.isEmpty() ? 0L : list.get(list.size() - 1).repr().sequenceNr();
    actor.tell(new JournalProtocol.RecoverySuccess(highest), self());
  }
}
