package dev.cairn.persistence.internal;

import dev.cairn.persistence.UnreadablePayload;
import java.io.NotSerializableException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/** INTERNAL API: serializes user state into checkpoints and rollback markers with Pekko serialization. */
public final class StateCodec {

  /** A serialized value. */
  public record Encoded(int serializerId, String manifest, byte[] bytes) {}

  private final Serialization serialization;

  public StateCodec(ActorSystem<?> system) {
    this.serialization = SerializationExtension.get(Adapter.toClassic(system));
  }

  public Encoded encode(Object state) {
    Serializer s = serialization.findSerializerFor(state);
    String manifest = Serializers.manifestFor(s, state);
    return new Encoded(s.identifier(), manifest, s.toBinary(state));
  }

  /** Throws when the bytes cannot be turned back into a state. */
  public Object decode(int serializerId, String manifest, byte[] bytes) throws Exception {
    Object o = serialization.deserialize(bytes, serializerId, manifest).get();
    if (o instanceof UnreadablePayload u) throw new NotSerializableException(u.cause());
    return o;
  }
}
