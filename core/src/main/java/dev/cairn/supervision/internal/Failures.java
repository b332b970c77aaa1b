package dev.cairn.supervision.internal;

/** Internal helpers for failure handling. Not part of the public API. */
public final class Failures {
  private Failures() {}

  /** Same notion of fatal as Scala's NonFatal: these are never handled by supervision. */
  public static boolean isFatal(Throwable t) {
    return t instanceof VirtualMachineError || t instanceof ThreadDeath || t instanceof InterruptedException
        || t instanceof LinkageError;
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
