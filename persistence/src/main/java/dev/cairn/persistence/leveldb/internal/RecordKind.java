package dev.cairn.persistence.leveldb.internal;

/** First byte of every checksummed value. On-disk ids are explicit, never ordinals. */
public enum RecordKind {
  /** A persisted event. */
  EVENT(0x01),
  /** Marker for a sequence number whose event was rejected (not serializable, too large). */
  REJECTED(0x02),
  SNAPSHOT(0x03),
  /** Per persistence id: highest sequence number and deleted-to mark. */
  PERSISTENCE_ID_STATE(0x04),
  /** Tag index entry pointing at an event. */
  TAG_ENTRY(0x05),
  UNKNOWN(-1);

  private final int id;

  RecordKind(int id) {
    this.id = id;
  }

  public int id() {
    return id;
  }

  public static RecordKind of(int id) {
    switch (id) {
      case 0x01: return EVENT;
      case 0x02: return REJECTED;
      case 0x03: return SNAPSHOT;
      case 0x04: return PERSISTENCE_ID_STATE;
      case 0x05: return TAG_ENTRY;
      default: return UNKNOWN;
    }
  }
}
