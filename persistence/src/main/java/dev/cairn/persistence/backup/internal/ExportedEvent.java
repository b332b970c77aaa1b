package dev.cairn.persistence.backup.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.persistence.leveldb.internal.EventRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * INTERNAL API. One line of a JSON Lines export:
 *
 * <pre>{"persistenceId":"account-1","seqNr":1,"timestamp":1700000000000,
 * "writerUuid":"...","tags":["bank"],"serializerId":33,"manifest":"com.example.Deposited",
 * "encoding":"cbor","payload":{"amount":10}}</pre>
 *
 * {@code writerUuid} is absent when the source does not tell it; {@code tags} is empty when the
 * source has no tags or does not tell them. A sequence number whose event the source journal
 * rejected (Cairn keeps a marker so sequence numbers stay contiguous) is a line with
 * {@code "rejected":true} and no payload; import writes a REJECTED marker for it into Cairn's
 * journal and nothing into other journals. Event lines carry no {@code kind} (an optional
 * {@code "kind":"event"} is accepted); see {@link ExportedSnapshot} and {@link ExportedDeletion}
 * for the other kinds of line.
 */
public record ExportedEvent(
    String persistenceId,
    long seqNr,
    long timestamp,
    Optional<String> writerUuid,
    List<String> tags,
    int serializerId,
    String manifest,
    PayloadCodec.Encoded payload,
    boolean rejected) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    JSON.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(200).build());
  }

  public ExportedEvent {
    tags = List.copyOf(tags);
  }

  /** The line of one record stored in Cairn's journal. */
  public static ExportedEvent of(PayloadCodec codec, EventRecord r) {
    if (r.rejected()) return rejected(r.persistenceId(), r.sequenceNr(), r.timestamp());
    return new ExportedEvent(r.persistenceId(), r.sequenceNr(), r.timestamp(),
        Optional.ofNullable(r.writerUuid()).filter(w -> !w.isEmpty()), r.tags(),
        r.serializerId(), r.manifest(), codec.encode(r.serializerId(), r.payload()), false);
  }

  /** A line for a sequence number whose event the source journal rejected. */
  public static ExportedEvent rejected(String persistenceId, long seqNr, long timestamp) {
    return new ExportedEvent(persistenceId, seqNr, timestamp, Optional.empty(), List.of(), 0, "",
        null, true);
  }

  public String toJsonLine() {
    ObjectNode o = JSON.createObjectNode();
    o.put("persistenceId", persistenceId);
    o.put("seqNr", seqNr);
    o.put("timestamp", timestamp);
    writerUuid.ifPresent(w -> o.put("writerUuid", w));
    if (rejected) {
      o.put("rejected", true);
      return render(o);
    }
    ArrayNode t = o.putArray("tags");
    tags.forEach(t::add);
    o.put("serializerId", serializerId);
    o.put("manifest", manifest);
    o.put("encoding", payload.encoding().id);
    o.set("payload", payload.payload());
    return render(o);
  }

  private String render(ObjectNode o) {
    return render(o, "event " + seqNr + " of " + persistenceId);
  }

  /** Parses one event line; the message of the exception says which field is wrong. */
  public static ExportedEvent parse(String line) {
    JsonNode o = readLine(line);
    String kind = kind(o);
    if (!kind.equals(KIND)) {
      throw new IllegalArgumentException("a '" + kind + "' line, not an event");
    }
    return fromJson(o);
  }

  /** The line kind of an event ({@code "kind"} is optional on event lines). */
  public static final String KIND = "event";

  /**
   * Parses any line of an export: an {@link ExportedEvent} (no {@code kind}, as in files written
   * before kinds existed, or {@code "kind":"event"}), an {@link ExportedSnapshot} or an
   * {@link ExportedDeletion}.
   */
  public static Object parseAny(String line) {
    JsonNode o = readLine(line);
    String kind = kind(o);
    switch (kind) {
      case KIND:
        return fromJson(o);
      case ExportedSnapshot.KIND:
        return ExportedSnapshot.fromJson(o);
      case ExportedDeletion.KIND:
        return ExportedDeletion.fromJson(o);
      default:
        throw new IllegalArgumentException("unknown line kind [" + kind + "], expected "
            + KIND + ", " + ExportedSnapshot.KIND + " or " + ExportedDeletion.KIND);
    }
  }

  static JsonNode readLine(String line) {
    JsonNode o;
    try {
      o = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (o == null || !o.isObject()) throw new IllegalArgumentException("not a JSON object");
    return o;
  }

  private static String kind(JsonNode o) {
    JsonNode k = o.get("kind");
    if (k == null || k.isNull()) return KIND;
    if (!k.isTextual()) throw new IllegalArgumentException("'kind' must be a string");
    return k.asText();
  }

  static ObjectNode newObject() {
    return JSON.createObjectNode();
  }

  static String render(ObjectNode o, String what) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot render " + what, e);
    }
  }

  private static ExportedEvent fromJson(JsonNode o) {
    String persistenceId = text(o, "persistenceId");
    if (persistenceId.isEmpty()) throw new IllegalArgumentException("'persistenceId' is empty");
    long seqNr = number(o, "seqNr");
    if (seqNr < 1) throw new IllegalArgumentException("'seqNr' must be >= 1, was [" + seqNr + "]");
    long timestamp = o.has("timestamp") ? number(o, "timestamp") : 0L;
    Optional<String> writer =
        o.hasNonNull("writerUuid") ? Optional.of(text(o, "writerUuid")) : Optional.empty();
    List<String> tags = new ArrayList<>();
    JsonNode t = o.get("tags");
    if (t != null && !t.isNull()) {
      if (!t.isArray()) throw new IllegalArgumentException("'tags' must be an array of strings");
      for (JsonNode tag : t) {
        if (!tag.isTextual()) throw new IllegalArgumentException("'tags' must hold strings");
        tags.add(tag.asText());
      }
    }
    if (o.path("rejected").asBoolean(false)) {
      return new ExportedEvent(persistenceId, seqNr, timestamp, writer, tags, 0, "", null, true);
    }
    long serializerId = number(o, "serializerId");
    String manifest = o.hasNonNull("manifest") ? text(o, "manifest") : "";
    PayloadCodec.Encoding encoding = PayloadCodec.Encoding.fromId(text(o, "encoding"));
    JsonNode payload = o.get("payload");
    if (payload == null) throw new IllegalArgumentException("'payload' is missing");
    return new ExportedEvent(persistenceId, seqNr, timestamp, writer, tags, (int) serializerId,
        manifest, new PayloadCodec.Encoded(encoding, payload), false);
  }

  static String text(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.isTextual()) {
      throw new IllegalArgumentException("'" + field + "' is missing or not a string");
    }
    return n.asText();
  }

  static long number(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new IllegalArgumentException("'" + field + "' is missing or not an integer");
    }
    return n.asLong();
  }
}
