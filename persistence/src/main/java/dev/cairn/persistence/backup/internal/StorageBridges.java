package dev.cairn.persistence.backup.internal;

/** INTERNAL API. The storage bridge backup and restore use. */
public final class StorageBridges {
  private StorageBridges() {}

  private static final StorageBridge CURRENT = new PlainLevelDbBridge();

  public static StorageBridge current() {
    return CURRENT;
  }
}
