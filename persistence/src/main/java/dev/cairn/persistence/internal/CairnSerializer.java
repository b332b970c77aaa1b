package dev.cairn.persistence.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.typesafe.config.Config;
import dev.cairn.persistence.UnreadablePayload;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>Fast path (when the binding has no migrations and keeps the type in the manifest, the
 * defaults): Pekko's serializer checks the class against its allow and deny lists and loads it
 * by name on every call. Those checks depend only on the class and the configuration, so once a
 * manifest (or class) has passed them, its manifest string and a Jackson {@code ObjectReader}
 * bound to the class are kept and used directly (still through Pekko's decompression). Replay
 * deserializes about twice as fast (docs/benchmarks.md). Anything else takes Pekko's path.
 */
public final class CairnSerializer extends JacksonSerializer {

  public static final String BINDING = "cairn-cbor";

  private final ObjectMapper mapper;
  private final boolean fastPath;
  /** Manifests (class names) that passed Pekko's checks once, with a reader for their class. */
  private final ConcurrentHashMap<String, ObjectReader> readers = new ConcurrentHashMap<>();
  /** Classes whose manifest passed Pekko's checks once. */
  private final ConcurrentHashMap<Class<?>, String> manifests = new ConcurrentHashMap<>();

  public CairnSerializer(ExtendedActorSystem system) {
    this(system, JacksonObjectMapperProvider.get(system).getOrCreate(BINDING, Optional.of(new CBORFactory())));
  }

  private CairnSerializer(ExtendedActorSystem system, ObjectMapper mapper) {
    super(system, BINDING, mapper);
    this.mapper = mapper;
    // the binding's configuration as Pekko's JacksonSerializer reads it
    Config root = system.settings().config();
    String base = "pekko.serialization.jackson";
    Config conf = root.hasPath(base + "." + BINDING) ? root.getConfig(base + "." + BINDING).withFallback(root.getConfig(base)) : root.getConfig(base);
    this.fastPath = conf.getConfig("migrations").root().isEmpty() && conf.getBoolean("type-in-manifest")
        && conf.getString("deserialization-type").isEmpty();
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof UnreadablePayload u) return u.manifest();
    if (!fastPath) return super.manifest(o);
    String m = manifests.get(o.getClass());
    if (m == null) {
      m = super.manifest(o); // throws for a class that is not allowed
      manifests.putIfAbsent(o.getClass(), m);
    }
    return m;
  }

  @Override
  public byte[] toBinary(Object o) {
    if (o instanceof UnreadablePayload u) return u.bytes();
    return super.toBinary(o);
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) {
    try {
      if (fastPath) {
        ObjectReader r = readers.get(manifest);
        if (r != null) return r.readValue(decompress(bytes));
      }
      Object o = super.fromBinary(bytes, manifest);
      if (fastPath && o.getClass().getName().equals(manifest)) readers.putIfAbsent(manifest, mapper.readerFor(o.getClass()));
      return o;
    } catch (Exception | LinkageError e) {
      return new UnreadablePayload(identifier(), manifest, e.getClass().getName() + ": " + e.getMessage(), bytes);
    }
  }
}
