package dev.cairn.persistence.leveldb.internal;

import com.typesafe.config.Config;
import dev.cairn.persistence.leveldb.CorruptSnapshotSkipped;
import dev.cairn.persistence.leveldb.EventTooLargeException;
import dev.cairn.persistence.leveldb.JournalStorageException;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.snapshot.japi.SnapshotStore;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.Future;

/**
 * Cairn's LevelDB snapshot store ({@code cairn.persistence.snapshot-store.leveldb}).
 * Snapshots are records in LevelDB (not files), checksummed like events. Loading picks the
 * newest snapshot matching the criteria whose checksum and deserialization succeed; a damaged
 * one is skipped (logged, and published as {@link CorruptSnapshotSkipped}) so that recovery
 * falls back to the next older snapshot or to full replay instead of failing.
 */
public final class LevelDbSnapshotStore extends SnapshotStore {
  private static final Logger log = LoggerFactory.getLogger(LevelDbSnapshotStore.class);

  private final PluginSettings settings;
  private final long maxSnapshotSize;
  private final int keep;
  private final Serialization serialization;
  private final PluginStore dirStore;

  public LevelDbSnapshotStore(Config config) {
    this.settings = PluginSettings.fromConfig(config);
    this.maxSnapshotSize = config.getBytes("max-snapshot-size");
    if (maxSnapshotSize < 1) throw new IllegalArgumentException("'max-snapshot-size' must be > 0, was [" + maxSnapshotSize + "]");
    this.keep = config.getInt("keep-snapshots");
    if (keep < 0) throw new IllegalArgumentException("'keep-snapshots' must be >= 0, was [" + keep + "]");
    this.serialization = SerializationExtension.get(context().system());
    this.dirStore = PluginStore.open(settings, "snapshot store");
  }

  @Override
  public void postStop() throws Exception {
    dirStore.close();
    super.postStop();
  }

  private LevelDbStore store() {
    return dirStore.store();
  }

  @Override
  public Future<Optional<SelectedSnapshot>> doLoadAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
    // runs on the snapshot store's own dispatcher: a few LevelDB reads, no hand-off needed
    try {
      return Futures.successful(load(store(), persistenceId, criteria));
    } catch (RuntimeException e) {
      return Futures.failed(e);
    }
  }

  private Optional<SelectedSnapshot> load(LevelDbStore store, String pid, SnapshotSelectionCriteria c) {
    List<RawEntry> entries = store.snapshotEntries(pid, c.minSequenceNr(), c.maxSequenceNr());
    String dir = store.directory().toString();
    for (int i = entries.size() - 1; i >= 0; i--) {
      RawEntry e = entries.get(i);
      long seqNr = Format.keyNumber(e.key());
      SnapshotRecord r;
      try {
        r = Format.decodeSnapshot(pid, seqNr, e.key(), e.value(), dir);
      } catch (JournalStorageException ex) {
        skipped(pid, seqNr, ex.getMessage());
        continue;
      }
      if (r.timestamp() < c.minTimestamp() || r.timestamp() > c.maxTimestamp()) continue;
      Object snapshot;
      try {
        snapshot = serialization.deserialize(r.payload(), r.serializerId(), r.manifest()).get();
      } catch (Exception ex) {
        skipped(pid, seqNr, "cannot deserialize (serializer id " + r.serializerId() + ", manifest [" + r.manifest() + "]): " + ex);
        continue;
      }
      return Optional.of(new SelectedSnapshot(new SnapshotMetadata(pid, seqNr, r.timestamp()), snapshot));
    }
    return Optional.empty();
  }

  private void skipped(String pid, long seqNr, String reason) {
    log.error("Skipping snapshot of persistence id [{}] at sequence number [{}], falling back to an older one: {}", pid, seqNr, reason);
    context().system().eventStream().publish(new CorruptSnapshotSkipped(pid, seqNr, reason));
  }

  @Override
  public Future<Void> doSaveAsync(SnapshotMetadata metadata, Object snapshot) {
    try {
      LevelDbStore store = store();
      Serializer ser = serialization.findSerializerFor(snapshot);
      byte[] bytes = ser.toBinary(snapshot);
      if (bytes.length > maxSnapshotSize) {
        throw new EventTooLargeException(metadata.persistenceId(), metadata.sequenceNr(), bytes.length, maxSnapshotSize, "max-snapshot-size");
      }
      String manifest = Serializers.manifestFor(ser, snapshot);
      return Completions.toScala(store.submit(new SnapshotTasks.Save(metadata.persistenceId(), metadata.sequenceNr(),
          metadata.timestamp(), ser.identifier(), manifest, bytes, keep, settings.fsync())), (Void) null);
    } catch (Exception e) {
      return Futures.failed(e);
    }
  }

  @Override
  public Future<Void> doDeleteAsync(SnapshotMetadata metadata) {
    return delete(metadata.persistenceId(), metadata.sequenceNr(), metadata.sequenceNr(), 0L, Long.MAX_VALUE);
  }

  @Override
  public Future<Void> doDeleteAsync(String persistenceId, SnapshotSelectionCriteria c) {
    return delete(persistenceId, c.minSequenceNr(), c.maxSequenceNr(), c.minTimestamp(), c.maxTimestamp());
  }

  private Future<Void> delete(String pid, long minSeq, long maxSeq, long minTs, long maxTs) {
    try {
      return Completions.toScala(store().submit(new SnapshotTasks.DeleteMatching(pid, minSeq, maxSeq, minTs, maxTs, settings.fsync())), (Void) null);
    } catch (RuntimeException e) {
      return Futures.failed(e);
    }
  }
}
