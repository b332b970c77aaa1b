package dev.cairn.persistence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Test journal (in memory, one instance per actor system) whose replays are slow: each replayed
 * event is delivered after {@code event-delay}, and the replay ends (RecoverySuccess) only
 * {@code end-delay} after its last event. This opens the window in which the end of one replay
 * can reach a restarted incarnation of the same actor that is in the middle of its own replay.
 */
public final class SlowReplayJournal extends AsyncWriteJournal {
  private final Map<String, List<PersistentRepr>> events = new ConcurrentHashMap<>();
  private final long eventDelayMillis;
  private final long endDelayMillis;

  public SlowReplayJournal(com.typesafe.config.Config config) {
    this.eventDelayMillis = config.getDuration("event-delay").toMillis();
    this.endDelayMillis = config.getDuration("end-delay").toMillis();
  }

  @Override
  public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
    List<Optional<Exception>> results = new ArrayList<>();
    for (AtomicWrite w : messages) {
      List<PersistentRepr> list = events.computeIfAbsent(w.persistenceId(), k -> new CopyOnWriteArrayList<>());
      for (PersistentRepr p : CollectionConverters.asJava(w.payload())) list.add(p.withTimestamp(System.currentTimeMillis()));
      results.add(Optional.empty());
    }
    return Futures.successful(results);
  }

  @Override
  public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
    List<PersistentRepr> list = events.getOrDefault(persistenceId, List.of());
    list.removeIf(p -> p.sequenceNr() <= toSequenceNr);
    return Futures.successful(null);
  }

  @Override
  public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
    List<PersistentRepr> list = events.getOrDefault(persistenceId, Collections.emptyList());
    return Futures.successful(list.isEmpty() ? 0L : list.get(list.size() - 1).sequenceNr());
  }

  @Override
  public Future<Void> doAsyncReplayMessages(String persistenceId, long fromSequenceNr, long toSequenceNr, long max,
      Consumer<PersistentRepr> replayCallback) {
    List<PersistentRepr> list = List.copyOf(events.getOrDefault(persistenceId, List.of()));
    return Futures.future(() -> {
      long n = 0;
      for (PersistentRepr p : list) {
        if (p.sequenceNr() < fromSequenceNr || p.sequenceNr() > toSequenceNr || n >= max) continue;
        Thread.sleep(eventDelayMillis);
        replayCallback.accept(p);
        n++;
      }
      Thread.sleep(endDelayMillis);
      return null;
    }, context().dispatcher());
  }
}
