package dev.cairn.persistence.leveldb.internal;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.dispatch.MessageDispatcher;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.NoOffset;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The queries of the read journal, on the shared store. Live queries poll every
 * {@code refresh-interval}; reads run on the blocking-IO dispatcher.
 */
public final class LevelDbQueries {
  private final ExtendedActorSystem system;
  private final Serialization serialization;
  private final MessageDispatcher readDispatcher;
  private final Duration refreshInterval;
  private final int batchSize;
  private final StoreLease lease;

  public LevelDbQueries(ExtendedActorSystem system, Config config) {
    this.system = system;
    this.serialization = SerializationExtension.get(system);
    this.readDispatcher = system.dispatchers().lookup(config.getString("read-dispatcher"));
    this.refreshInterval = config.getDuration("refresh-interval");
    this.batchSize = config.getInt("max-buffer-size");
    if (batchSize < 1) throw new IllegalArgumentException("'max-buffer-size' must be >= 1, was [" + batchSize + "]");
    if (refreshInterval.isNegative() || refreshInterval.isZero()) {
      throw new IllegalArgumentException("'refresh-interval' must be > 0, was [" + refreshInterval + "]");
    }
    Config journal = system.settings().config().getConfig(config.getString("write-plugin"));
    Config storeConfig = config.getString("dir").isEmpty() ? journal : config.withFallback(journal);
    PluginSettings settings = PluginSettings.fromConfig(storeConfig);
    this.lease = LevelDbStores.acquire(settings.dir(), settings.storeOptions());
    system.registerOnTermination(lease::close);
  }

  public LevelDbStore store() {
    return lease.store();
  }

  private <T> CompletionStage<T> read(Supplier<T> f) {
    return CompletableFuture.supplyAsync(f, readDispatcher);
  }

  private <T> CompletionStage<T> later(Supplier<CompletionStage<T>> f) {
    return Patterns.after(refreshInterval, system.scheduler(), readDispatcher, f::get);
  }

  // ------------------------------------------------------------------ persistence ids

  public Source<String, NotUsed> persistenceIds(boolean live) {
    Set<String> seen = new HashSet<>();
    return Source.unfoldAsync(Boolean.TRUE, first -> read(() -> {
          List<String> fresh = new ArrayList<>();
          String after = null;
          while (true) {
            List<String> page = store().persistenceIdsAfter(after, 1000);
            for (String p : page) if (seen.add(p)) fresh.add(p);
            if (page.size() < 1000) break;
            after = page.get(page.size() - 1);
          }
          return fresh;
        }).thenCompose(fresh -> {
          if (!fresh.isEmpty()) return CompletableFuture.completedFuture(Optional.of(Pair.create(Boolean.FALSE, fresh)));
          if (!live) return CompletableFuture.completedFuture(Optional.<Pair<Boolean, List<String>>>empty());
          return later(() -> CompletableFuture.completedFuture(Optional.of(Pair.create(Boolean.FALSE, List.<String>of()))));
        }))
        .mapConcat(l -> l);
  }

  // ------------------------------------------------------------------ by persistence id

  private record Chunk(long next, List<EventEnvelope> envelopes) {}

  public Source<EventEnvelope, NotUsed> eventsByPersistenceId(String pid, long fromSeqNr, long toSeqNr, boolean live) {
    return Source.unfoldAsync(Math.max(1L, fromSeqNr), next -> {
          if (next > toSeqNr) return CompletableFuture.completedFuture(Optional.<Pair<Long, List<EventEnvelope>>>empty());
          return read(() -> readEvents(pid, next, toSeqNr)).thenCompose(chunk -> {
            if (chunk.next() != next) return CompletableFuture.completedFuture(Optional.of(Pair.create(chunk.next(), chunk.envelopes())));
            if (!live) return CompletableFuture.completedFuture(Optional.<Pair<Long, List<EventEnvelope>>>empty());
            return later(() -> CompletableFuture.completedFuture(Optional.of(Pair.create(next, List.<EventEnvelope>of()))));
          });
        })
        .mapConcat(l -> l);
  }

  private Chunk readEvents(String pid, long from, long to) {
    List<EventEnvelope> out = new ArrayList<>();
    long next = from;
    try (CloseableIterator<EventRecord> it = store().events(pid, from, to)) {
      while (out.size() < batchSize && it.hasNext()) {
        EventRecord r = it.next();
        next = r.sequenceNr() + 1;
        if (r.rejected()) continue;
        Object event = EventDecoding.deserialize(serialization, r);
        out.add(EventEnvelope.apply(Sequence.apply(r.sequenceNr()), pid, r.sequenceNr(), event, r.timestamp()));
      }
    }
    return new Chunk(next, out);
  }

  // ------------------------------------------------------------------ by tag

  /** Offsets are {@link Sequence} tag orderings, exclusive: pass the last envelope's offset to resume. */
  public Source<EventEnvelope, NotUsed> eventsByTag(String tag, Offset offset, boolean live) {
    long after;
    if (offset == null || offset == NoOffset.getInstance()) after = 0L;
    else if (offset instanceof Sequence) after = ((Sequence) offset).value();
    else throw new IllegalArgumentException("Cairn's LevelDB read journal supports Sequence offsets or NoOffset for eventsByTag, was [" + offset + "]");
    return Source.unfoldAsync(after, last -> read(() -> readTag(tag, last)).thenCompose(chunk -> {
          if (chunk.next() != last) return CompletableFuture.completedFuture(Optional.of(Pair.create(chunk.next(), chunk.envelopes())));
          if (!live) return CompletableFuture.completedFuture(Optional.<Pair<Long, List<EventEnvelope>>>empty());
          return later(() -> CompletableFuture.completedFuture(Optional.of(Pair.create(last, List.<EventEnvelope>of()))));
        }))
        .mapConcat(l -> l);
  }

  private Chunk readTag(String tag, long afterOrdering) {
    List<EventEnvelope> out = new ArrayList<>();
    long last = afterOrdering;
    for (Format.TagEntry t : store().tagEntries(tag, afterOrdering, batchSize)) {
      last = t.ordering();
      EventRecord r = store().event(t.persistenceId(), t.sequenceNr());
      if (r == null || r.rejected()) continue; // deleted since it was tagged
      Object event = EventDecoding.deserialize(serialization, r);
      out.add(EventEnvelope.apply(Sequence.apply(t.ordering()), r.persistenceId(), r.sequenceNr(), event, r.timestamp()));
    }
    return new Chunk(last, out);
  }
}
