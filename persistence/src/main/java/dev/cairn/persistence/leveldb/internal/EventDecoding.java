package dev.cairn.persistence.leveldb.internal;

import dev.cairn.persistence.leveldb.JournalStorageException;
import org.apache.pekko.serialization.Serialization;

/** Turns stored payload bytes back into objects through Pekko serialization. */
final class EventDecoding {
  private EventDecoding() {}

  static Object deserialize(Serialization serialization, EventRecord r) {
    try {
      return serialization.deserialize(r.payload(), r.serializerId(), r.manifest()).get();
    } catch (Exception e) {
      throw new JournalStorageException("Cannot deserialize event of persistence id [" + r.persistenceId()
          + "] sequence number [" + r.sequenceNr() + "] (serializer id " + r.serializerId() + ", manifest ["
          + r.manifest() + "]): " + e + ". Check that the event class and its serializer binding are on the"
          + " classpath and compatible with the stored data.", e);
    }
  }
}
