package dev.cairn.persistence.leveldb;

/**
 * Plugin ids of Cairn's LevelDB journal, snapshot store and read journal. They are part of
 * the public contract; their settings and defaults are in {@code reference.conf} and
 * {@code docs/journal.md}.
 *
 * <pre>
 * pekko.persistence.journal.plugin = "cairn.persistence.journal.leveldb"
 * pekko.persistence.snapshot-store.plugin = "cairn.persistence.snapshot-store.leveldb"
 * </pre>
 */
public final class CairnLevelDb {
  /** Journal plugin id. */
  public static final String JOURNAL_PLUGIN_ID = "cairn.persistence.journal.leveldb";
  /** Snapshot store plugin id. */
  public static final String SNAPSHOT_PLUGIN_ID = "cairn.persistence.snapshot-store.leveldb";
  /** Read journal (Persistence Query) plugin id, for {@code PersistenceQuery.getReadJournalFor}. */
  public static final String QUERY_PLUGIN_ID = "cairn.persistence.query.leveldb";

  private CairnLevelDb() {}
}
