package dev.cairn.persistence.backup.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.persistence.backup.ArchiveCorruptException;
import dev.cairn.persistence.backup.ArchiveEntry;
import dev.cairn.persistence.backup.BackupManifest;
import dev.cairn.persistence.backup.BackupMode;
import dev.cairn.persistence.backup.PersistenceIdSummary;
import dev.cairn.persistence.backup.UnsupportedArchiveVersionException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** INTERNAL API. {@link BackupManifest} to and from {@code manifest.json}, strictly validated. */
public final class ManifestCodec {
  private ManifestCodec() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static {
    MAPPER.enable(SerializationFeature.INDENT_OUTPUT);
    MAPPER.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(1 << 20).build());
  }

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public static byte[] write(BackupManifest m) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", ArchiveFormat.FORMAT_NAME);
    root.put("formatVersion", m.formatVersion());
    root.put("createdAt", m.createdAt().toString());
    root.put("mode", m.mode().id());
    root.put("persistenceIdCount", m.persistenceIds().size());
    root.put("totalEvents", m.totalEvents());
    root.put("totalSnapshots", m.totalSnapshots());
    ArrayNode entries = root.putArray("entries");
    for (ArchiveEntry e : m.entries()) {
      entries.addObject()
          .put("name", e.name())
          .put("bytes", e.bytes())
          .put("records", e.records())
          .put("sha256", e.sha256());
    }
    ArrayNode ids = root.putArray("persistenceIds");
    for (PersistenceIdSummary p : m.persistenceIds()) {
      ids.addObject()
          .put("persistenceId", p.persistenceId())
          .put("events", p.events())
          .put("highestSeqNr", p.highestSeqNr())
          .put("snapshots", p.snapshots())
          .put("highestSnapshotSeqNr", p.highestSnapshotSeqNr());
    }
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot render the backup manifest", e);
    }
  }

  public static BackupManifest read(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new ArchiveCorruptException("The archive's manifest.json is not valid JSON: "
          + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) throw bad("it is not a JSON object");
    if (!ArchiveFormat.FORMAT_NAME.equals(root.path("format").asText(null))) {
      throw bad("its 'format' is not '" + ArchiveFormat.FORMAT_NAME + "'");
    }
    int version = (int) number(root, "formatVersion");
    if (version != ArchiveFormat.FORMAT_VERSION) {
      throw new UnsupportedArchiveVersionException(
          "The archive has format version [" + version + "]; this Cairn reads version ["
              + ArchiveFormat.FORMAT_VERSION + "]. Use the Cairn version that wrote it");
    }
    Instant createdAt;
    try {
      createdAt = Instant.parse(text(root, "createdAt"));
    } catch (DateTimeParseException e) {
      throw bad("'createdAt' is not an ISO-8601 instant");
    }
    BackupMode mode =
        BackupMode.fromId(text(root, "mode")).orElseThrow(() -> bad("'mode' is unknown"));
    List<ArchiveEntry> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode e : array(root, "entries")) {
      String name = text(e, "name");
      if (!ArchiveFormat.DATA_ENTRIES.contains(name)) {
        throw bad("it lists an unknown entry '" + name + "'");
      }
      if (!names.add(name)) throw bad("it lists entry '" + name + "' twice");
      String sha = text(e, "sha256");
      if (!SHA256.matcher(sha).matches()) throw bad("entry '" + name + "' has no valid sha256");
      entries.add(new ArchiveEntry(name, number(e, "bytes"), number(e, "records"), sha));
    }
    if (!names.containsAll(ArchiveFormat.DATA_ENTRIES)) {
      throw bad("it must list the entries " + ArchiveFormat.DATA_ENTRIES + ", lists " + names);
    }
    List<PersistenceIdSummary> ids = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (JsonNode p : array(root, "persistenceIds")) {
      String id = text(p, "persistenceId");
      if (!seen.add(id)) throw bad("it lists persistence id '" + id + "' twice");
      ids.add(new PersistenceIdSummary(id, number(p, "events"), number(p, "highestSeqNr"),
          number(p, "snapshots"), number(p, "highestSnapshotSeqNr")));
    }
    BackupManifest manifest = new BackupManifest(version, createdAt, mode, entries, ids);
    // the totals are redundant, so a hand-edited manifest shows
    if (number(root, "persistenceIdCount") != ids.size()
        || number(root, "totalEvents") != manifest.totalEvents()
        || number(root, "totalSnapshots") != manifest.totalSnapshots()) {
      throw bad("its totals do not match its persistence id list");
    }
    return manifest;
  }

  private static Iterable<JsonNode> array(JsonNode node, String field) {
    JsonNode a = node.get(field);
    if (a == null || !a.isArray()) throw bad("'" + field + "' is missing or not an array");
    return a;
  }

  private static String text(JsonNode node, String field) {
    JsonNode t = node.get(field);
    if (t == null || !t.isTextual()) throw bad("'" + field + "' is missing or not a string");
    return t.asText();
  }

  private static long number(JsonNode node, String field) {
    JsonNode n = node.get(field);
    if (n == null || !n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
      throw bad("'" + field + "' is missing or not a non-negative integer");
    }
    return n.asLong();
  }

  private static ArchiveCorruptException bad(String why) {
    return new ArchiveCorruptException("The archive's manifest.json is invalid: " + why);
  }
}
