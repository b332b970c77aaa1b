package dev.cairn.persistence.leveldb.internal;

import com.typesafe.config.Config;
import dev.cairn.persistence.leveldb.EventTooLargeException;
import dev.cairn.persistence.leveldb.JournalStorageException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.NonPersistentRepr;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.PartialFunction;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;

/**
 * Cairn's LevelDB journal ({@code cairn.persistence.journal.leveldb}).
 *
 * <p>Writes: events are serialized and encoded (with their checksums) on the journal actor's
 * thread. With {@code fsync = on} the request goes to the store's writer thread, which combines
 * all requests waiting into one write batch and one sync (group commit) and completes their
 * futures in one task on this actor's dispatcher. With {@code fsync = off} and a single actor
 * writing, the (microsecond) unsynced write happens on the journal actor's thread, saving two
 * thread hand-offs per write; with several actors writing at once it uses the group commit too.
 *
 * <p>Replays run on the replay dispatcher, in chunks, and never block writes.
 */
public final class LevelDbJournal extends AsyncWriteJournal {
  private static final Logger log = LoggerFactory.getLogger(LevelDbJournal.class);
  private static final int REPLAY_CHUNK = 512;

  private final PluginSettings settings;
  private final long maxEventSize;
  private final boolean inlineUnsynced;
  private final boolean readAhead;
  private final RecentWriters recentWriters = new RecentWriters();
  private final Serialization serialization;
  private final ExecutionContext replayEc;
  private final PluginStore dirStore;
  private final boolean directReplies;
  private final boolean skipIgnoredReply;
  private final long stallWarnNanos;
  private final org.apache.pekko.actor.Cancellable stallCheck;
  private volatile boolean stallReported;

  public LevelDbJournal(Config config) {
    this.settings = PluginSettings.fromConfig(config);
    this.maxEventSize = config.getBytes("max-event-size");
    if (maxEventSize < 1) throw new IllegalArgumentException("'max-event-size' must be > 0, was [" + maxEventSize + "]");
    this.inlineUnsynced = config.getBoolean("inline-unsynced-writes");
    this.readAhead = config.getBoolean("replay-read-ahead");
    this.serialization = SerializationExtension.get(context().system());
    this.replayEc = context().system().dispatchers().lookup(config.getString("replay-dispatcher"));
    this.directReplies = !config.getBoolean("write-response-global-order");
    this.skipIgnoredReply = config.getBoolean("skip-ignored-write-reply");
    this.dirStore = PluginStore.open(settings, "journal");
    this.stallWarnNanos = config.getDuration("circuit-breaker.call-timeout").toNanos();
    java.time.Duration every = java.time.Duration.ofNanos(Math.max(50_000_000L, Math.min(1_000_000_000L, stallWarnNanos / 4)));
    this.stallCheck = context().system().scheduler().scheduleWithFixedDelay(every, every, this::checkStalledWrites, context().dispatcher());
  }

  /**
   * Warns (once per stall) when a write has waited longer than {@code circuit-breaker.call-timeout},
   * e.g. on a hung disk, and tells when writes complete again. Replies sent by this journal itself
   * ({@code write-response-global-order = off}) do not go through Pekko's circuit breaker, which
   * would report such a write failed while it may still be stored; this keeps the stall visible.
   * Runs on the dispatcher, not in the actor, so an inline write that hangs is reported too.
   */
  private void checkStalledWrites() {
    LevelDbStore store;
    try {
      store = store();
    } catch (RuntimeException e) {
      return;
    }
    long waited = store.oldestWriteWaitNanos();
    if (waited >= stallWarnNanos) {
      if (!stallReported) {
        stallReported = true;
        log.warn("A write to journal directory {} has waited {} ms, longer than circuit-breaker.call-timeout ({} ms): the disk may be hung"
            + " or overloaded. The actors waiting for it stay blocked; it is not reported failed, since it may still be stored.",
            store.directory(), waited / 1_000_000L, stallWarnNanos / 1_000_000L);
      }
    } else if (stallReported) {
      stallReported = false;
      log.info("Writes to journal directory {} complete again", store.directory());
    }
  }

  /**
   * Tells whether many actors write at the same time: then unsynced writes go through the writer
   * thread, whose group commit turns many LevelDB writes (each a system call) into one while the
   * journal actor goes on serializing; otherwise the journal actor writes inline, which saves two
   * thread hand-offs per write. Measured (docs/benchmarks.md, fsync off): inline is faster up to
   * 8 concurrent writers (4 actors: 110k vs 67k events/s), the group commit from 16 on (32 actors:
   * 159k vs 104k), so the switch is at 12 distinct persistence ids among the last 32 writes.
   */
  static final class RecentWriters {
    private static final int WINDOW = 32;
    private static final int MANY = 12;
    private final String[] last = new String[WINDOW];
    private final java.util.HashMap<String, int[]> counts = new java.util.HashMap<>();
    private int next;

    boolean seen(String pid) {
      String leaving = last[next];
      if (leaving != null) {
        int[] c = counts.get(leaving);
        if (--c[0] == 0) counts.remove(leaving);
      }
      last[next] = pid;
      next = (next + 1) % WINDOW;
      counts.computeIfAbsent(pid, k -> new int[1])[0]++;
      return counts.size() >= MANY;
    }
  }

  @Override
  public void postStop() throws Exception {
    stallCheck.cancel();
    dirStore.close();
    super.postStop();
  }

  private LevelDbStore store() {
    return dirStore.store();
  }

  @Override
  public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
    Write w = startWrite(messages);
    // A sequence number conflict (another writer stored these sequence numbers) is a write
    // failure, not a rejection: the actor stops (or restarts) and recovers the stored events.
    // All AtomicWrites of one call come from one persistent actor, so this fails that actor only.
    return Completions.toScala(w.done(), w.results(), w::failure);
  }

  /**
   * Handles {@code WriteMessages} itself when write replies need no global order (the default,
   * {@code write-response-global-order = off}); everything else goes to Pekko's
   * {@code AsyncWriteJournal}. The replies are those of {@code AsyncWriteJournal}, in the same
   * order (less the {@code WriteMessagesSuccessful} that typed event-sourced actors ignore, see
   * {@link #fromTypedEventSourcedActor}), but they are sent by the thread that completes the
   * write (this actor's, for an inline write) instead of through a circuit breaker and two chained Scala futures, which
   * cost a dispatcher task (often a thread wake-up) per write (docs/benchmarks.md).
   */
  @Override
  public void aroundReceive(PartialFunction<Object, BoxedUnit> receive, Object msg) {
    if (directReplies && msg instanceof JournalProtocol.WriteMessages wm) {
      writeAndReply(wm);
    } else if (msg instanceof ImportProtocol.Command c) {
      importCommand(c);
    } else {
      super.aroundReceive(receive, msg);
    }
  }

  /**
   * Handles {@link ImportProtocol}: sets an imported id's deleted prefix, or writes the REJECTED
   * marker of an event the source journal rejected, through the store's writer like any write.
   */
  private void importCommand(ImportProtocol.Command c) {
    String pid = c.persistenceId();
    long seqNr;
    WriteTask task;
    try {
      if (c instanceof ImportProtocol.StartAfterDeleted s) {
        seqNr = s.deletedTo();
        task = new StartAfterDeletedTask(pid, s.deletedTo(), settings.fsync());
      } else {
        ImportProtocol.WriteRejectedMarker m = (ImportProtocol.WriteRejectedMarker) c;
        seqNr = m.sequenceNr();
        task = new AppendTask(List.of(new AppendTask.AtomicGroup(pid, List.of(
            AppendTask.rejected(pid, m.sequenceNr(), m.timestamp(), m.writerUuid())))), settings.fsync());
      }
    } catch (RuntimeException e) {
      c.replyTo().tell(new ImportProtocol.Failed(pid, 0L, e), self());
      return;
    }
    ActorRef self = self();
    long at = seqNr;
    java.util.concurrent.CompletableFuture<Void> done;
    try {
      done = store().submit(task.completeOn(context().dispatcher()));
    } catch (JournalStorageException e) {
      done = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    done.whenComplete((v, t) -> {
      Throwable failure = t != null ? Completions.unwrap(t)
          : task instanceof AppendTask a ? a.firstFailure() : null;
      c.replyTo().tell(failure == null ? new ImportProtocol.Done(pid, at) : new ImportProtocol.Failed(pid, at, failure), self);
    });
  }

  private void writeAndReply(JournalProtocol.WriteMessages wm) {
    scala.collection.immutable.Seq<PersistentEnvelope> messages = wm.messages();
    ActorRef actor = wm.persistentActor();
    int instance = wm.actorInstanceId();
    List<AtomicWrite> prepared;
    try {
      prepared = CollectionConverters.asJava(preparePersistentBatch(messages));
    } catch (RuntimeException e) {
      // as AsyncWriteJournal: a failing event adapter rejects every atomic write of the request
      replyAll(messages, actor, instance, null, e, null);
      return;
    }
    if (prepared.isEmpty()) {
      replyAll(messages, actor, instance, null, null, null);
      return;
    }
    Write w = startWrite(prepared);
    w.done().whenComplete((v, t) -> {
      Throwable failure = t != null ? Completions.unwrap(t) : w.failure();
      replyAll(messages, actor, instance, failure == null ? w.results() : null, null, failure);
    });
  }

  /**
   * Sends {@code AsyncWriteJournal}'s replies to one {@code WriteMessages}: with {@code failure},
   * {@code WriteMessagesFailed} and a {@code WriteMessageFailure} per event; otherwise
   * {@code WriteMessagesSuccessful} and per event a success or, when its atomic write was
   * rejected ({@code results}, or {@code rejectAll} for all), a {@code WriteMessageRejected}.
   * Looped (non-persistent) messages get {@code LoopMessageSuccess} in their place in the order.
   */
  private void replyAll(scala.collection.immutable.Seq<PersistentEnvelope> messages, ActorRef actor, int instance,
      List<Optional<Exception>> results, Throwable rejectAll, Throwable failure) {
    ActorRef self = self();
    int atomicWrites = 0;
    if (failure != null) {
      for (PersistentEnvelope e : CollectionConverters.asJava(messages)) if (e instanceof AtomicWrite) atomicWrites++;
      actor.tell(new JournalProtocol.WriteMessagesFailed(failure, atomicWrites), self);
    } else if (!(skipIgnoredReply && fromTypedEventSourcedActor(messages, actor))) {
      actor.tell(JournalProtocol.WriteMessagesSuccessful$.MODULE$, self);
    }
    int i = 0;
    for (PersistentEnvelope e : CollectionConverters.asJava(messages)) {
      if (e instanceof AtomicWrite aw) {
        Throwable rejected = rejectAll;
        if (rejected == null && results != null) rejected = results.get(i).orElse(null);
        i++;
        for (PersistentRepr p : CollectionConverters.asJava(aw.payload())) {
          Object reply = failure != null ? new JournalProtocol.WriteMessageFailure(p, failure, instance)
              : rejected != null ? new JournalProtocol.WriteMessageRejected(p, rejected, instance)
              : new JournalProtocol.WriteMessageSuccess(p, instance);
          actor.tell(reply, p.sender());
        }
      } else if (e instanceof NonPersistentRepr r) {
        actor.tell(new JournalProtocol.LoopMessageSuccess(r.payload(), instance), r.sender());
      }
    }
  }

  /**
   * Whether a write request comes the way Pekko's typed {@code EventSourcedBehavior} sends it: from
   * a typed actor (its classic cell runs Pekko's {@code ActorAdapter}), every event with no sender.
   * That behaviour ignores {@code WriteMessagesSuccessful} (it acts on the per-event replies), so
   * with {@code skip-ignored-write-reply = on} the journal does not send it, which saves one actor
   * message per write. Classic {@code PersistentActor}s need it to send their next batch; their
   * events always carry a sender (dead letters at least) and their cell runs their own class, so
   * they, remote actors and everything else still get it.
   */
  private static boolean fromTypedEventSourcedActor(scala.collection.immutable.Seq<PersistentEnvelope> messages, ActorRef actor) {
    if (!(actor instanceof org.apache.pekko.actor.ActorRefWithCell withCell)) return false;
    Class<?> actorClass;
    try {
      actorClass = withCell.underlying().props().actorClass();
    } catch (RuntimeException e) {
      return false;
    }
    if (!org.apache.pekko.actor.typed.internal.adapter.ActorAdapter.class.isAssignableFrom(actorClass)) return false;
    boolean any = false;
    for (PersistentEnvelope e : CollectionConverters.asJava(messages)) {
      if (!(e instanceof AtomicWrite aw)) return false;
      for (PersistentRepr p : CollectionConverters.asJava(aw.payload())) {
        if (p.sender() != null) return false;
        any = true;
      }
    }
    return any;
  }

  /** A write in progress: its future, the per-atomic-write rejections, and its append task. */
  private record Write(java.util.concurrent.CompletableFuture<Void> done, List<Optional<Exception>> results, AppendTask task) {
    /** After {@code done} completed normally: the conflict that fails the request, or null. */
    Exception failure() {
      return task == null ? null : task.firstFailure();
    }
  }

  /** Encodes the events (rejecting those that cannot be stored) and starts their write. */
  private Write startWrite(Iterable<AtomicWrite> messages) {
    LevelDbStore store;
    try {
      store = store();
    } catch (JournalStorageException e) {
      return new Write(java.util.concurrent.CompletableFuture.failedFuture(e), List.of(), null);
    }
    long now = System.currentTimeMillis();
    List<Optional<Exception>> results = new ArrayList<>();
    List<AppendTask.AtomicGroup> groups = new ArrayList<>();
    boolean anyRejected = false;
    for (AtomicWrite aw : messages) {
      String pid = aw.persistenceId();
      List<PersistentRepr> reprs = CollectionConverters.asJava(aw.payload());
      List<AppendTask.Record> records = new ArrayList<>(reprs.size());
      Exception rejection = null;
      for (PersistentRepr p : reprs) {
        try {
          records.add(encode(pid, p, now));
        } catch (Exception e) {
          rejection = e;
          break;
        }
      }
      if (rejection != null) {
        anyRejected = true;
        log.warn("Rejected event(s) {}..{} of persistence id [{}]: {}", aw.lowestSequenceNr(), aw.highestSequenceNr(), pid, rejection.toString());
        records.clear();
        for (PersistentRepr p : reprs) records.add(AppendTask.rejected(pid, p.sequenceNr(), timestampOf(p, now), p.writerUuid()));
      }
      results.add(Optional.ofNullable(rejection));
      groups.add(new AppendTask.AtomicGroup(pid, records));
    }
    AppendTask task = new AppendTask(groups, settings.fsync());
    boolean concurrent = recentWriters.seen(groups.isEmpty() ? "" : groups.get(0).persistenceId());
    var done = settings.fsync() || !inlineUnsynced || concurrent
        ? store.submit(task.completeOn(context().dispatcher()))
        : store.writeInline(task);
    return new Write(done, anyRejected ? results : Collections.nCopies(results.size(), Optional.empty()), task);
  }

  /**
   * The event's own timestamp when it has one (e.g. an imported export keeps its original event
   * times), otherwise the write time. Pekko leaves it 0 for new events.
   */
  private static long timestampOf(PersistentRepr p, long now) {
    long ts = p.timestamp();
    return ts != 0L ? ts : now;
  }

  private AppendTask.Record encode(String pid, PersistentRepr p, long now) throws Exception {
    Object payload = p.payload();
    List<String> tags = List.of();
    if (payload instanceof Tagged t) {
      payload = t.payload();
      tags = new ArrayList<>(CollectionConverters.asJava(t.tags()));
      Collections.sort(tags);
    }
    Serializer ser = serialization.findSerializerFor(payload);
    byte[] bytes = ser.toBinary(payload);
    if (bytes.length > maxEventSize) {
      throw new EventTooLargeException(pid, p.sequenceNr(), bytes.length, maxEventSize, "max-event-size");
    }
    String manifest = Serializers.manifestFor(ser, payload);
    return AppendTask.event(pid, p.sequenceNr(), timestampOf(p, now), ser.identifier(), manifest, p.manifest(), p.writerUuid(), tags, bytes);
  }

  @Override
  public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
    try {
      return Completions.toScala(store().submit(new DeleteEventsTask(persistenceId, toSequenceNr, settings.fsync())), (Void) null);
    } catch (JournalStorageException e) {
      return Futures.failed(e);
    }
  }

  @Override
  public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
    // After this pid's writes still waiting in the writer (a restarted actor may recover before
    // its earlier persists are written, and must not reuse their sequence numbers). Without
    // such writes: read on this thread (the in-memory state, or the state record and one seek
    // for events past it), cheaper than a hand-off.
    java.util.concurrent.CompletableFuture<Long> highest;
    try {
      highest = store().highestSequenceNrAfterPendingWrites(persistenceId);
    } catch (RuntimeException e) {
      return Futures.failed(e);
    }
    if (highest.isDone() && !highest.isCompletedExceptionally()) return Futures.successful(highest.join());
    scala.concurrent.Promise<Long> p = scala.concurrent.Promise.apply();
    highest.whenComplete((h, t) -> {
      if (t == null) p.success(h);
      else p.failure(Completions.unwrap(t));
    });
    return p.future();
  }

  @Override
  public Future<Void> doAsyncReplayMessages(String persistenceId, long fromSequenceNr, long toSequenceNr, long max,
      Consumer<PersistentRepr> replayCallback) {
    LevelDbStore store;
    try {
      store = store();
    } catch (JournalStorageException e) {
      return Futures.failed(e);
    }
    if (max <= 0 || fromSequenceNr > toSequenceNr) return Futures.successful(null);
    return Futures.future(() -> {
      replay(store, persistenceId, fromSequenceNr, toSequenceNr, max, replayCallback);
      return null;
    }, replayEc);
  }

  /**
   * Replays in chunks: the first chunk is read on this thread; when there is more, a reader
   * thread keeps reading and checksum-verifying the following chunks while this thread
   * deserializes and hands each chunk to the actor in a tight loop (the actor's mailbox fills
   * in bursts, so it is woken once per chunk, not once per event).
   */
  private void replay(LevelDbStore store, String pid, long from, long to, long max, Consumer<PersistentRepr> callback) {
    long remaining = max;
    ChunkDecoder decoder = new ChunkDecoder(serialization);
    try (CloseableIterator<EventRecord> it = store.events(pid, from, to)) {
      EventRecord[] first = readChunk(it, (int) Math.min(REPLAY_CHUNK, remaining));
      remaining -= deliver(decoder, pid, first, callback);
      if (!readAhead) {
        EventRecord[] chunk;
        while (remaining > 0 && (chunk = readChunk(it, (int) Math.min(REPLAY_CHUNK, remaining))).length > 0) {
          remaining -= deliver(decoder, pid, chunk, callback);
        }
        return;
      }
      if (remaining <= 0 || first.length < REPLAY_CHUNK || !it.hasNext()) return;
      ReplayPipeline pipeline = new ReplayPipeline(it, remaining);
      store.readerExecutor().execute(pipeline);
      try {
        EventRecord[] chunk;
        while ((chunk = pipeline.take()) != null) remaining -= deliver(decoder, pid, chunk, callback);
      } finally {
        pipeline.cancel();
      }
    }
  }

  private static EventRecord[] readChunk(CloseableIterator<EventRecord> it, int max) {
    List<EventRecord> out = new ArrayList<>(Math.min(max, REPLAY_CHUNK));
    while (out.size() < max && it.hasNext()) {
      EventRecord r = it.next();
      if (!r.rejected()) out.add(r);
    }
    return out.toArray(new EventRecord[0]);
  }

  private static int deliver(ChunkDecoder decoder, String pid, EventRecord[] chunk, Consumer<PersistentRepr> callback) {
    PersistentRepr[] reprs = decoder.decodeAll(pid, chunk);
    for (PersistentRepr p : reprs) callback.accept(p);
    return chunk.length;
  }

  /** Reads chunks ahead on a reader thread; a bounded queue keeps memory flat. */
  private static final class ReplayPipeline implements Runnable {
    private static final Object END = new Object();
    private final java.util.concurrent.ArrayBlockingQueue<Object> queue = new java.util.concurrent.ArrayBlockingQueue<>(4);
    private final CloseableIterator<EventRecord> it;
    private final long max;
    private volatile boolean cancelled;
    private boolean finished; // consumer side: END or a failure was taken

    ReplayPipeline(CloseableIterator<EventRecord> it, long max) {
      this.it = it;
      this.max = max;
    }

    @Override
    public void run() {
      Object last = END;
      try {
        long left = max;
        while (!cancelled && left > 0 && it.hasNext()) {
          EventRecord[] chunk = readChunk(it, (int) Math.min(REPLAY_CHUNK, left));
          left -= chunk.length;
          if (chunk.length > 0) put(chunk);
        }
      } catch (Throwable t) {
        last = t;
      }
      put(last);
    }

    private void put(Object o) {
      try {
        while (!cancelled && !queue.offer(o, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
          // the consumer is slower; wait (or stop when cancelled)
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Next chunk, or null at the end; rethrows the reader's failure. */
    EventRecord[] take() {
      Object o;
      try {
        o = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new JournalStorageException("replay interrupted", e);
      }
      if (o == END || o instanceof Throwable) finished = true;
      if (o == END) return null;
      if (o instanceof RuntimeException re) throw re;
      if (o instanceof Throwable t) throw new JournalStorageException("replay failed: " + t, t);
      return (EventRecord[]) o;
    }

    /** Stops the reader and waits until it no longer touches the iterator. */
    void cancel() {
      cancelled = true;
      if (finished) return;
      Object o;
      do {
        try {
          o = queue.poll(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      } while (o != null && o != END && !(o instanceof Throwable));
    }
  }
}
