package dev.cairn.supervision.internal;

/** Internal helpers for failure handling. Not part of the public API. */
public final class Failures {
  private Failures() {}

  /** Same notion of fatal as Scala's NonFatal: these are never handled by supervision. */
  public static boolean isFatal(Throwable t) {
    return t instanceof VirtualMachineError || t instanceof ThreadDeath || t instanceof InterruptedException
        || t instanceof LinkageError;
  }

  /** The cause if {@code b} is Pekko's "failed" behavior (returned, not thrown, by some supervision layers), else null. */
  public static Throwable failedCause(org.apache.pekko.actor.typed.Behavior<?> b) {
    return b instanceof org.apache.pekko.actor.typed.internal.BehaviorImpl.FailedBehavior f ? f.cause() : null;
  }

  /** {@code b}, or a failed behavior with the original cause if {@code b} failed with a carrier. */
  @SuppressWarnings("unchecked")
  public static <T> org.apache.pekko.actor.typed.Behavior<T> unwrapFailed(org.apache.pekko.actor.typed.Behavior<T> b) {
    Throwable cause = failedCause(b);
    return cause instanceof Carrier c
        ? (org.apache.pekko.actor.typed.Behavior<T>) org.apache.pekko.actor.typed.internal.BehaviorImpl.failed(c.getCause())
        : b;
  }

  /** Rethrows any throwable without declaring it. */
  @SuppressWarnings("unchecked")
  public static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
    throw (E) t;
  }

  /** Base of the internal wrappers that carry a failure through Pekko's supervision layers. */
  public abstract static class Carrier extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected Carrier(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }

    @Override
    public String toString() {
      return getCause().toString();
    }
  }

  /** Passes a failure past every Pekko layer of a failure policy so the enclosing supervisor sees it. */
  public static final class Escalation extends Carrier {
    private static final long serialVersionUID = 1L;

    public Escalation(Throwable cause) {
      super(cause);
    }
  }

  /** Tells the restart layer of a one-for-one child to restart it in place. */
  public static final class InPlaceRestart extends Carrier {
    private static final long serialVersionUID = 1L;

    public InPlaceRestart(Throwable cause) {
      super(cause);
    }
  }
}
