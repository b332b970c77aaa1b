package dev.cairn.persistence.leveldb;

import dev.cairn.persistence.leveldb.internal.LevelDbQueries;
import org.apache.pekko.NotUsed;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByTagQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentPersistenceIdsQuery;
import org.apache.pekko.persistence.query.javadsl.EventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.EventsByTagQuery;
import org.apache.pekko.persistence.query.javadsl.PersistenceIdsQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Persistence Query read journal over Cairn's LevelDB journal (Java API). Obtain it with
 * {@code PersistenceQuery.get(system).getReadJournalFor(CairnLevelDbReadJournal.class,
 * CairnLevelDb.QUERY_PLUGIN_ID)}.
 *
 * <p>Live queries ({@code persistenceIds}, {@code eventsByPersistenceId}, {@code eventsByTag})
 * never complete and pick up new events every {@code refresh-interval}; the {@code current*}
 * variants complete when they reach the end. Offsets of {@code eventsByTag} are
 * {@link org.apache.pekko.persistence.query.Sequence} values (exclusive), offsets of
 * {@code eventsByPersistenceId} are the sequence numbers. Every event read is checksum-verified
 * and sequence gaps fail the stream with a typed exception.
 */
public final class CairnLevelDbReadJournal
    implements ReadJournal, PersistenceIdsQuery, CurrentPersistenceIdsQuery, EventsByPersistenceIdQuery,
        CurrentEventsByPersistenceIdQuery, EventsByTagQuery, CurrentEventsByTagQuery {

  /** The read journal plugin id. */
  public static final String Identifier = CairnLevelDb.QUERY_PLUGIN_ID;

  private final LevelDbQueries queries;

  /** Created by the plugin's provider; use {@code PersistenceQuery} to obtain it. */
  public CairnLevelDbReadJournal(LevelDbQueries queries) {
    this.queries = queries;
  }

  @Override
  public Source<String, NotUsed> persistenceIds() {
    return queries.persistenceIds(true);
  }

  @Override
  public Source<String, NotUsed> currentPersistenceIds() {
    return queries.persistenceIds(false);
  }

  @Override
  public Source<EventEnvelope, NotUsed> eventsByPersistenceId(String persistenceId, long fromSequenceNr, long toSequenceNr) {
    return queries.eventsByPersistenceId(persistenceId, fromSequenceNr, toSequenceNr, true);
  }

  @Override
  public Source<EventEnvelope, NotUsed> currentEventsByPersistenceId(String persistenceId, long fromSequenceNr, long toSequenceNr) {
    return queries.eventsByPersistenceId(persistenceId, fromSequenceNr, toSequenceNr, false);
  }

  @Override
  public Source<EventEnvelope, NotUsed> eventsByTag(String tag, Offset offset) {
    return queries.eventsByTag(tag, offset, true);
  }

  @Override
  public Source<EventEnvelope, NotUsed> currentEventsByTag(String tag, Offset offset) {
    return queries.eventsByTag(tag, offset, false);
  }
}
