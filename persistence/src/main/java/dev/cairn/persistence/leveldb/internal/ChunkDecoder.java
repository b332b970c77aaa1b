package dev.cairn.persistence.leveldb.internal;

import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.Serialization$;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import scala.util.DynamicVariable;

/**
 * Deserializes replayed events a chunk at a time (one per replay, used by one thread at a time).
 *
 * <p>{@link Serialization#deserialize(byte[], int, String)} per event looks the serializer up,
 * sets and restores Pekko's transport information (a thread-local) and wraps the result in a
 * {@code Try}. Here the transport information is set once per chunk and the serializer of the
 * previous event is reused when the next one has the same serializer id, so a string-manifest
 * serializer (Jackson) is called directly. Other serializers, and any failure, go through
 * {@link EventDecoding} (Pekko's path, with its error messages).
 */
final class ChunkDecoder {
  private final Serialization serialization;
  private int lastId = Integer.MIN_VALUE;
  private SerializerWithStringManifest last; // null: the last id's serializer is not a string-manifest one

  ChunkDecoder(Serialization serialization) {
    this.serialization = serialization;
  }

  PersistentRepr[] decodeAll(String pid, EventRecord[] chunk) {
    DynamicVariable<Serialization.Information> info = Serialization$.MODULE$.currentTransportInformation();
    if (info.value() != null) return decode(pid, chunk);
    return info.withValue(serialization.serializationInformation(), () -> decode(pid, chunk));
  }

  private PersistentRepr[] decode(String pid, EventRecord[] chunk) {
    PersistentRepr[] reprs = new PersistentRepr[chunk.length];
    for (int i = 0; i < chunk.length; i++) {
      EventRecord r = chunk[i];
      reprs[i] = PersistentRepr.apply(deserialize(r), r.sequenceNr(), pid, r.adapterManifest(), false, null, r.writerUuid())
          .withTimestamp(r.timestamp());
    }
    return reprs;
  }

  private Object deserialize(EventRecord r) {
    int id = r.serializerId();
    if (id != lastId) {
      scala.Option<Serializer> s = serialization.serializerByIdentity().get(id);
      last = s.isDefined() && s.get() instanceof SerializerWithStringManifest m ? m : null;
      lastId = id;
    }
    if (last != null) {
      try {
        return last.fromBinary(r.payload(), r.manifest());
      } catch (Exception e) {
        // fall through: Pekko's path reports it with the record's identity
      }
    }
    return EventDecoding.deserialize(serialization, r);
  }
}
