package dev.cairn.persistence.internal;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.cairn.persistence.UnreadablePayload;
import java.util.Optional;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.apache.pekko.serialization.jackson.JacksonSerializer;

/**
 * INTERNAL API. Jackson CBOR serializer bound to {@code CairnSerializable} that never throws on
 * an unreadable payload: it returns an {@link UnreadablePayload} placeholder so the policy layer
 * can treat it as a poison event (journals deserialize before the behavior sees the event).
 * Serializing a placeholder writes its original bytes and manifest back unchanged.
 *
 * <p>Extends Pekko's Jackson serializer (rather than wrapping it) because Pekko only allows
 * Jackson to deserialize classes bound to a Jackson serializer.
 */
public final class CairnSerializer extends JacksonSerializer {

  public static final String BINDING = "cairn-cbor";

  public CairnSerializer(ExtendedActorSystem system) {
    super(
        system,
        BINDING,
        JacksonObjectMapperProvider.get(system)
            .getOrCreate(BINDING, Optional.of(new CBORFactory())));
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof UnreadablePayload u) return u.manifest();
    return super.manifest(o);
  }

  @Override
  public byte[] toBinary(Object o) {
    if (o instanceof UnreadablePayload u) return u.bytes();
    return super.toBinary(o);
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) {
    try {
      return super.fromBinary(bytes, manifest);
    } catch (Exception | LinkageError e) {
      return new UnreadablePayload(identifier(), manifest, e.getClass().getName() + ": " + e.getMessage(), bytes);
    }
  }
}
