package dev.cairn.persistence;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.snapshot.japi.SnapshotStore;
import scala.concurrent.Future;

/**
 * Test snapshot store (in memory) that can hold a save: the first save for a persistence id passed
 * to {@link #holdNextSave} never completes, so the actor is left waiting for its confirmation; the
 * test learns that the save has started from {@link #saveStarted}. Every other save is stored.
 */
public final class HeldSnapshotStore extends SnapshotStore {
  private static final Set<String> HOLD = ConcurrentHashMap.newKeySet();
  private static final Map<String, CompletableFuture<Long>> STARTED = new ConcurrentHashMap<>();
  private final Map<String, List<SelectedSnapshot>> snapshots = new ConcurrentHashMap<>();

  /** The next save for {@code pid} is held forever. */
  static void holdNextSave(String pid) {
    HOLD.add(pid);
  }

  /** Completes with the sequence number of the held save for {@code pid} once it has reached the store. */
  static CompletableFuture<Long> saveStarted(String pid) {
    return STARTED.computeIfAbsent(pid, k -> new CompletableFuture<>());
  }

  @Override
  public Future<Optional<SelectedSnapshot>> doLoadAsync(String pid, SnapshotSelectionCriteria criteria) {
    return Futures.successful(snapshots.getOrDefault(pid, List.of()).stream()
        .filter(s -> s.metadata().sequenceNr() <= criteria.maxSequenceNr()
            && s.metadata().timestamp() <= criteria.maxTimestamp())
        .max(Comparator.comparingLong(s -> s.metadata().sequenceNr())));
  }

  @Override
  public Future<Void> doSaveAsync(SnapshotMetadata metadata, Object snapshot) {
    if (HOLD.remove(metadata.persistenceId())) {
      saveStarted(metadata.persistenceId()).complete(metadata.sequenceNr());
      return Futures.<Void>promise().future();
    }
    snapshots.computeIfAbsent(metadata.persistenceId(), k -> new CopyOnWriteArrayList<>())
        .add(SelectedSnapshot.create(metadata, snapshot));
    return Futures.successful(null);
  }

  @Override
  public Future<Void> doDeleteAsync(SnapshotMetadata metadata) {
    snapshots.getOrDefault(metadata.persistenceId(), List.of())
        .removeIf(s -> s.metadata().sequenceNr() == metadata.sequenceNr());
    return Futures.successful(null);
  }

  @Override
  public Future<Void> doDeleteAsync(String pid, SnapshotSelectionCriteria criteria) {
    snapshots.getOrDefault(pid, List.of()).removeIf(s -> s.metadata().sequenceNr() <= criteria.maxSequenceNr()
        && s.metadata().sequenceNr() >= criteria.minSequenceNr());
    return Futures.successful(null);
  }
}
