package dev.cairn.persistence.leveldb.internal;

import com.typesafe.config.Config;
import dev.cairn.persistence.leveldb.EventTooLargeException;
import dev.cairn.persistence.leveldb.JournalStorageException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Cairn's LevelDB journal ({@code cairn.persistence.journal.leveldb}).
 *
 * <p>Writes: events are serialized and encoded (with their checksums) on the journal actor's
 * thread. With {@code fsync = on} the request goes to the store's writer thread, which
 * combines all requests waiting into one write batch and one sync (group commit) and then
 * completes their futures directly. With {@code fsync = off} the (microsecond) unsynced write
 * happens on the journal actor's thread, saving two thread hand-offs per write.
 *
 * <p>Replays run on the replay dispatcher and never block writes.
 */
public final class LevelDbJournal extends AsyncWriteJournal {
  private static final Logger log = LoggerFactory.getLogger(LevelDbJournal.class);
  private static final int REPLAY_CHUNK = 512;

  private final PluginSettings settings;
  private final long maxEventSize;
  private final boolean inlineUnsynced;
  private final Serialization serialization;
  private final ExecutionContext replayEc;
  private final StoreLease lease;
  private final JournalStorageException openFailure;

  public LevelDbJournal(Config config) {
    this.settings = PluginSettings.fromConfig(config);
    this.maxEventSize = config.getBytes("max-event-size");
    this.inlineUnsynced = config.getBoolean("inline-unsynced-writes");
    this.serialization = SerializationExtension.get(context().system());
    this.replayEc = context().system().dispatchers().lookup(config.getString("replay-dispatcher"));
    StoreLease l = null;
    JournalStorageException failure = null;
    try {
      l = LevelDbStores.acquire(settings.dir(), settings.storeOptions());
    } catch (JournalStorageException e) {
      // kept, so that every persist and recovery fails with this clear error
      log.error("Cairn LevelDB journal cannot open {}: {}", settings.dir(), e.getMessage());
      failure = e;
    }
    this.lease = l;
    this.openFailure = failure;
  }

  @Override
  public void postStop() throws Exception {
    if (lease != null) lease.close();
    super.postStop();
  }

  private LevelDbStore store() {
    if (openFailure != null) throw openFailure;
    return lease.store();
  }

  @Override
  public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
    LevelDbStore store;
    try {
      store = store();
    } catch (JournalStorageException e) {
      return Futures.failed(e);
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
        for (PersistentRepr p : reprs) records.add(AppendTask.rejected(pid, p.sequenceNr(), now, p.writerUuid()));
      }
      results.add(Optional.ofNullable(rejection));
      groups.add(new AppendTask.AtomicGroup(pid, records));
    }
    AppendTask task = new AppendTask(groups, settings.fsync());
    var done = settings.fsync() || !inlineUnsynced
        ? store.submit(task.completeOn(context().dispatcher()))
        : store.writeInline(task);
    Iterable<Optional<Exception>> res = anyRejected ? results : Collections.nCopies(results.size(), Optional.empty());
    return Completions.toScala(done, res);
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
    return AppendTask.event(pid, p.sequenceNr(), now, ser.identifier(), manifest, p.manifest(), p.writerUuid(), tags, bytes);
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
    // one LevelDB get: cheaper than a hand-off to another thread
    try {
      return Futures.successful(store().highestSequenceNr(persistenceId));
    } catch (RuntimeException e) {
      return Futures.failed(e);
    }
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
   * Reads, verifies and deserializes events in chunks, then hands each chunk to the actor in a
   * tight loop: the actor's mailbox then fills in bursts and it is woken once per chunk instead
   * of once per event.
   */
  private void replay(LevelDbStore store, String pid, long from, long to, long max, Consumer<PersistentRepr> callback) {
    long n = 0;
    PersistentRepr[] chunk = new PersistentRepr[REPLAY_CHUNK];
    try (CloseableIterator<EventRecord> it = store.events(pid, from, to)) {
      while (n < max && it.hasNext()) {
        int size = 0;
        while (size < REPLAY_CHUNK && n + size < max && it.hasNext()) {
          EventRecord r = it.next();
          if (r.rejected()) continue;
          Object event = EventDecoding.deserialize(serialization, r);
          chunk[size++] = PersistentRepr.apply(event, r.sequenceNr(), pid, r.adapterManifest(), false, null, r.writerUuid())
              .withTimestamp(r.timestamp());
        }
        for (int i = 0; i < size; i++) {
          callback.accept(chunk[i]);
          chunk[i] = null;
        }
        n += size;
      }
    }
  }
}
