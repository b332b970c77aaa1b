package dev.cairn.persistence.leveldb.internal;

/** First byte of every key. On-disk ids are explicit, never ordinals. */
public enum KeyKind {
  META(0x01),
  PERSISTENCE_ID(0x02),
  EVENT(0x03),
  TAG(0x04),
  SNAPSHOT(0x05),
  UNKNOWN(-1);

  private final int id;

  KeyKind(int id) {
    this.id = id;
  }

  public int id() {
    return id;
  }

  public static KeyKind of(int id) {
    switch (id) {
      case 0x01: return META;
      case 0x02: return PERSISTENCE_ID;
      case 0x03: return EVENT;
      case 0x04: return TAG;
      case 0x05: return SNAPSHOT;
      default: return UNKNOWN;
    }
  }
}
