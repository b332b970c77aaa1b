package dev.cairn.persistence.backup.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * INTERNAL API. Turns the bytes a Pekko serializer produced into a JSON value and back, without
 * needing the event classes: Jackson JSON payloads are parsed (gunzipped when Pekko compressed
 * them), Jackson CBOR payloads are decoded into the equivalent JSON tree, anything else is kept
 * as base64. Decoding back yields bytes the same serializer reads.
 */
public final class PayloadCodec {
  /** How a payload is represented in JSON. */
  public enum Encoding {
    /** The serializer writes JSON; the payload is that JSON. */
    JSON("json"),
    /** The serializer writes CBOR; the payload is the same data as JSON. */
    CBOR("cbor"),
    /** Any other serializer; the payload is a base64 string of its bytes. */
    BASE64("base64");

    public final String id;

    Encoding(String id) {
      this.id = id;
    }

    public static Encoding fromId(String id) {
      for (Encoding e : values()) {
        if (e.id.equals(id)) return e;
      }
      throw new IllegalArgumentException(
          "unknown payload encoding [" + id + "], expected json, cbor or base64");
    }
  }

  /** A payload as JSON. */
  public record Encoded(Encoding encoding, JsonNode payload) {}

  private static final String JSON_SERIALIZER =
      "org.apache.pekko.serialization.jackson.JacksonJsonSerializer";
  private static final String CBOR_SERIALIZER =
      "org.apache.pekko.serialization.jackson.JacksonCborSerializer";
  /** Cairn's lenient wrapper of the Jackson CBOR serializer: the same bytes. */
  private static final String CAIRN_CBOR_SERIALIZER =
      "dev.cairn.persistence.internal.CairnSerializer";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

  private final Map<Integer, Encoding> bySerializerId;

  private PayloadCodec(Map<Integer, Encoding> bySerializerId) {
    this.bySerializerId = Map.copyOf(bySerializerId);
  }

  /** Learns which serializer ids are Jackson JSON or CBOR from Pekko's configuration. */
  public static PayloadCodec fromConfig(Config config) {
    Map<String, String> classByName = new HashMap<>();
    Config serializers = config.getConfig("pekko.actor.serializers");
    for (Map.Entry<String, ConfigValue> e : serializers.root().entrySet()) {
      classByName.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
    }
    Map<Integer, Encoding> ids = new HashMap<>();
    Config identifiers = config.getConfig("pekko.actor.serialization-identifiers");
    for (Map.Entry<String, ConfigValue> e : identifiers.root().entrySet()) {
      String key = e.getKey().replace("\"", "");
      String clazz = classByName.getOrDefault(key, key); // keys may also be class names
      Object id = e.getValue().unwrapped();
      if (!(id instanceof Number)) continue;
      if (JSON_SERIALIZER.equals(clazz)) ids.put(((Number) id).intValue(), Encoding.JSON);
      if (CBOR_SERIALIZER.equals(clazz) || CAIRN_CBOR_SERIALIZER.equals(clazz)) ids.put(((Number) id).intValue(), Encoding.CBOR);
    }
    return new PayloadCodec(ids);
  }

  public Encoded encode(int serializerId, byte[] bytes) {
    Encoding encoding = bySerializerId.getOrDefault(serializerId, Encoding.BASE64);
    try {
      switch (encoding) {
        case JSON:
          return new Encoded(Encoding.JSON, JSON.readTree(gunzipIfNeeded(bytes)));
        case CBOR:
          return new Encoded(Encoding.CBOR, CBOR.readTree(gunzipIfNeeded(bytes)));
        default:
          break;
      }
    } catch (IOException | RuntimeException e) {
      // e.g. lz4-compressed payloads: keep the exact bytes
    }
    return new Encoded(Encoding.BASE64, TextNode.valueOf(Base64.getEncoder().encodeToString(bytes)));
  }

  public static byte[] decode(Encoded encoded) throws IOException {
    switch (encoded.encoding()) {
      case JSON:
        return JSON.writeValueAsBytes(encoded.payload());
      case CBOR:
        return CBOR.writeValueAsBytes(encoded.payload());
      default:
        if (!encoded.payload().isTextual()) {
          throw new IOException("a base64 payload must be a JSON string");
        }
        return Base64.getDecoder().decode(encoded.payload().asText());
    }
  }

  private static byte[] gunzipIfNeeded(byte[] bytes) throws IOException {
    if (bytes.length < 2 || (bytes[0] & 0xFF) != 0x1f || (bytes[1] & 0xFF) != 0x8b) return bytes;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readNBytes(256 << 20);
    }
  }
}
