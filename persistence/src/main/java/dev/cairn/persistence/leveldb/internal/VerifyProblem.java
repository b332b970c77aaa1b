package dev.cairn.persistence.leveldb.internal;

/**
 * One problem found by {@link LevelDbStore#verify()}.
 *
 * @param kind what is wrong
 * @param persistenceId affected persistence id, or "" when not known
 * @param sequenceNr affected sequence number (or tag ordering), or -1 when not applicable
 * @param key the LevelDB key in hex
 * @param message a sentence describing the problem
 */
public record VerifyProblem(Kind kind, String persistenceId, long sequenceNr, String key, String message) {
  public enum Kind {
    CHECKSUM_MISMATCH,
    SEQUENCE_GAP,
    UNKNOWN_RECORD_KIND,
    UNKNOWN_KEY_KIND,
    BAD_FORMAT_VERSION,
    MALFORMED_RECORD,
    HIGHEST_SEQUENCE_NR_MISMATCH,
    DANGLING_TAG_ENTRY
  }

  @Override
  public String toString() {
    return kind + " " + message;
  }
}
