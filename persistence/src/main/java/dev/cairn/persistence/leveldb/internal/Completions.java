package dev.cairn.persistence.leveldb.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import scala.concurrent.Future;
import scala.concurrent.Promise;

/** Bridges the store's futures to the Scala futures of Pekko's plugin API without extra hops. */
final class Completions {
  private Completions() {}

  /** The failure a completion stage reports, without its {@code CompletionException} wrapper. */
  static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /** Completes (on the completing thread) with {@code value}, or with the unwrapped failure. */
  static <T> Future<T> toScala(CompletableFuture<Void> done, T value) {
    Promise<T> p = Promise.apply();
    done.whenComplete((v, t) -> {
      if (t == null) p.success(value);
      else p.failure(unwrap(t));
    });
    return p.future();
  }

  /**
   * As {@link #toScala(CompletableFuture, Object)}, but fails with {@code failure.get()} when
   * that is non-null after {@code done} completed normally.
   */
  static <T> Future<T> toScala(CompletableFuture<Void> done, T value, java.util.function.Supplier<? extends Exception> failure) {
    Promise<T> p = Promise.apply();
    done.whenComplete((v, t) -> {
      if (t != null) p.failure(unwrap(t));
      else {
        Exception f = failure.get();
        if (f == null) p.success(value);
        else p.failure(f);
      }
    });
    return p.future();
  }
}
