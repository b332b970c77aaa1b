package dev.cairn.persistence.backup.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * INTERNAL API. A line of a JSON Lines export saying that the events of a persistence id up to
 * {@code toSeqNr} were deleted in the source journal (its actor deleted them, e.g. after a
 * snapshot), so its exported events start at {@code toSeqNr + 1} (or there are none left):
 *
 * <pre>{"kind":"deleted","persistenceId":"account-1","toSeqNr":10}</pre>
 *
 * It comes before the id's snapshot and events.
 */
public record ExportedDeletion(String persistenceId, long toSeqNr) {

  public static final String KIND = "deleted";

  public String toJsonLine() {
    ObjectNode o = ExportedEvent.newObject();
    o.put("kind", KIND);
    o.put("persistenceId", persistenceId);
    o.put("toSeqNr", toSeqNr);
    return ExportedEvent.render(o, "deletion of " + persistenceId);
  }

  static ExportedDeletion fromJson(JsonNode o) {
    String persistenceId = ExportedEvent.text(o, "persistenceId");
    if (persistenceId.isEmpty()) throw new IllegalArgumentException("'persistenceId' is empty");
    long toSeqNr = ExportedEvent.number(o, "toSeqNr");
    if (toSeqNr < 1) {
      throw new IllegalArgumentException("'toSeqNr' must be >= 1, was [" + toSeqNr + "]");
    }
    return new ExportedDeletion(persistenceId, toSeqNr);
  }
}
