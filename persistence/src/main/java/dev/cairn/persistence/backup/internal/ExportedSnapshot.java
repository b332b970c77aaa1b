package dev.cairn.persistence.backup.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.persistence.leveldb.internal.SnapshotRecord;

/**
 * INTERNAL API. A snapshot line of a JSON Lines export: the newest snapshot of a persistence id,
 * written before the id's events, payload encoded like an event's:
 *
 * <pre>{"kind":"snapshot","persistenceId":"account-1","seqNr":10,"timestamp":1700000000000,
 * "serializerId":33,"manifest":"com.example.State","encoding":"cbor","payload":{"total":10}}</pre>
 */
public record ExportedSnapshot(
    String persistenceId,
    long seqNr,
    long timestamp,
    int serializerId,
    String manifest,
    PayloadCodec.Encoded payload) {

  public static final String KIND = "snapshot";

  /** The line of one snapshot stored in Cairn's snapshot store. */
  public static ExportedSnapshot of(PayloadCodec codec, SnapshotRecord r) {
    return new ExportedSnapshot(r.persistenceId(), r.sequenceNr(), r.timestamp(), r.serializerId(),
        r.manifest(), codec.encode(r.serializerId(), r.payload()));
  }

  public String toJsonLine() {
    ObjectNode o = ExportedEvent.newObject();
    o.put("kind", KIND);
    o.put("persistenceId", persistenceId);
    o.put("seqNr", seqNr);
    o.put("timestamp", timestamp);
    o.put("serializerId", serializerId);
    o.put("manifest", manifest);
    o.put("encoding", payload.encoding().id);
    o.set("payload", payload.payload());
    return ExportedEvent.render(o, "snapshot " + seqNr + " of " + persistenceId);
  }

  static ExportedSnapshot fromJson(JsonNode o) {
    String persistenceId = ExportedEvent.text(o, "persistenceId");
    if (persistenceId.isEmpty()) throw new IllegalArgumentException("'persistenceId' is empty");
    long seqNr = ExportedEvent.number(o, "seqNr");
    if (seqNr < 1) throw new IllegalArgumentException("'seqNr' must be >= 1, was [" + seqNr + "]");
    long timestamp = o.has("timestamp") ? ExportedEvent.number(o, "timestamp") : 0L;
    long serializerId = ExportedEvent.number(o, "serializerId");
    String manifest = o.hasNonNull("manifest") ? ExportedEvent.text(o, "manifest") : "";
    PayloadCodec.Encoding encoding =
        PayloadCodec.Encoding.fromId(ExportedEvent.text(o, "encoding"));
    JsonNode payload = o.get("payload");
    if (payload == null) throw new IllegalArgumentException("'payload' is missing");
    return new ExportedSnapshot(persistenceId, seqNr, timestamp, (int) serializerId, manifest,
        new PayloadCodec.Encoded(encoding, payload));
  }
}
