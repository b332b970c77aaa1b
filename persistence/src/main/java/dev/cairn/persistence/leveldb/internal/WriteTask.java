package dev.cairn.persistence.leveldb.internal;

import java.util.concurrent.CompletableFuture;

/**
 * One unit of work for the store's writer: it adds its puts and deletes to the shared write
 * batch of a group commit. {@link #prepare} must validate everything before it touches the
 * batch, so that a task failing validation fails alone and leaves the batch untouched.
 */
public abstract class WriteTask {
  final CompletableFuture<Void> done = new CompletableFuture<>();
  final boolean sync;
  /** When it was queued for the writer ({@link System#nanoTime}), for {@link LevelDbStore#oldestWriteWaitNanos}. */
  volatile long queuedAt;
  private java.util.concurrent.Executor completionExecutor;

  protected WriteTask(boolean sync) {
    this.sync = sync;
  }

  /** Completed after the batch holding this task is written (and synced when {@code sync}). */
  public CompletableFuture<Void> future() {
    return done;
  }

  /**
   * Completes this task's future on {@code executor} instead of the writer thread. The writer
   * completes all tasks of a group that share an executor in one task submitted to it, in
   * order: one wake-up per group instead of one per write.
   */
  public WriteTask completeOn(java.util.concurrent.Executor executor) {
    this.completionExecutor = executor;
    return this;
  }

  java.util.concurrent.Executor completionExecutor() {
    return completionExecutor;
  }

  /**
   * The persistence ids whose highest sequence number this task may raise (their events), or
   * null. {@link LevelDbStore#highestSequenceNrAfterPendingWrites} waits for such tasks.
   */
  String[] appendedPersistenceIds() {
    return null;
  }

  /** Validate, then add this task's changes to {@code ctx}. */
  protected abstract void prepare(WriteContext ctx);

  /** Rough size in bytes, to bound the size of one group commit. */
  protected abstract long estimatedBytes();
}
