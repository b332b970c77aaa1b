package dev.cairn.persistence.backup;

/** How a backup read its source. */
public enum BackupMode {
  /** The journal was open in this process and kept running; read under LevelDB read snapshots. */
  ONLINE("online"),
  /** The journal was closed; the backup opened it itself (taking its lock). */
  OFFLINE("offline");

  private final String id;

  BackupMode(String id) {
    this.id = id;
  }

  /** The stable name written into the manifest. */
  public String id() {
    return id;
  }

  /** The mode with this manifest name, or empty when unknown. */
  public static java.util.Optional<BackupMode> fromId(String id) {
    for (BackupMode m : values()) {
      if (m.id.equals(id)) return java.util.Optional.of(m);
    }
    return java.util.Optional.empty();
  }
}
