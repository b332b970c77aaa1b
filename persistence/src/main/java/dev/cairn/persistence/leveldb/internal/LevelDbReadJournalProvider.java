package dev.cairn.persistence.leveldb.internal;

import com.typesafe.config.Config;
import dev.cairn.persistence.leveldb.CairnLevelDbReadJournal;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.ReadJournalProvider;
import org.apache.pekko.stream.scaladsl.Source;

/** Provider named in {@code cairn.persistence.query.leveldb.class}. */
public final class LevelDbReadJournalProvider implements ReadJournalProvider {
  private final CairnLevelDbReadJournal javadsl;
  private final ScaladslReadJournal scaladsl;

  public LevelDbReadJournalProvider(ExtendedActorSystem system, Config config) {
    this.javadsl = new CairnLevelDbReadJournal(new LevelDbQueries(system, config));
    this.scaladsl = new ScaladslReadJournal(javadsl);
  }

  @Override
  public org.apache.pekko.persistence.query.scaladsl.ReadJournal scaladslReadJournal() {
    return scaladsl;
  }

  @Override
  public org.apache.pekko.persistence.query.javadsl.ReadJournal javadslReadJournal() {
    return javadsl;
  }

  /** Scala API view of the same queries (required by Pekko's provider contract). */
  public static final class ScaladslReadJournal
      implements org.apache.pekko.persistence.query.scaladsl.ReadJournal,
          org.apache.pekko.persistence.query.scaladsl.PersistenceIdsQuery,
          org.apache.pekko.persistence.query.scaladsl.CurrentPersistenceIdsQuery,
          org.apache.pekko.persistence.query.scaladsl.EventsByPersistenceIdQuery,
          org.apache.pekko.persistence.query.scaladsl.CurrentEventsByPersistenceIdQuery,
          org.apache.pekko.persistence.query.scaladsl.EventsByTagQuery,
          org.apache.pekko.persistence.query.scaladsl.CurrentEventsByTagQuery {
    private final CairnLevelDbReadJournal j;

    ScaladslReadJournal(CairnLevelDbReadJournal j) {
      this.j = j;
    }

    @Override
    public Source<String, NotUsed> persistenceIds() {
      return j.persistenceIds().asScala();
    }

    @Override
    public Source<String, NotUsed> currentPersistenceIds() {
      return j.currentPersistenceIds().asScala();
    }

    @Override
    public Source<EventEnvelope, NotUsed> eventsByPersistenceId(String pid, long from, long to) {
      return j.eventsByPersistenceId(pid, from, to).asScala();
    }

    @Override
    public Source<EventEnvelope, NotUsed> currentEventsByPersistenceId(String pid, long from, long to) {
      return j.currentEventsByPersistenceId(pid, from, to).asScala();
    }

    @Override
    public Source<EventEnvelope, NotUsed> eventsByTag(String tag, Offset offset) {
      return j.eventsByTag(tag, offset).asScala();
    }

    @Override
    public Source<EventEnvelope, NotUsed> currentEventsByTag(String tag, Offset offset) {
      return j.currentEventsByTag(tag, offset).asScala();
    }
  }
}
