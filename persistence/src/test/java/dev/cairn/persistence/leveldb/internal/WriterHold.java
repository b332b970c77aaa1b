package dev.cairn.persistence.leveldb.internal;

import java.util.concurrent.CountDownLatch;

/** Test support: holds a store's writer thread so that later writes wait in its queue (as while a sync runs). */
public final class WriterHold {
  private WriterHold() {}

  /**
   * Submits a task that occupies the writer thread; returns once the writer is inside it. Count the returned latch
   * down to release the writer.
   */
  public static CountDownLatch hold(LevelDbStore store, boolean sync) throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    store.submit(new WriteTask(sync) {
      @Override
      protected void prepare(WriteContext ctx) {
        started.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }

      @Override
      protected long estimatedBytes() {
        return 0;
      }
    });
    started.await();
    return release;
  }
}
