package dev.cairn.persistence.backup.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * INTERNAL API. Layout of a Cairn backup archive (format version 1).
 *
 * <p>A zip file with exactly three entries, no directories, no links:
 *
 * <ul>
 *   <li>{@code journal.kv}: every raw key/value pair of the journal's LevelDB, in key order,
 *       framed by {@link KvFrames};
 *   <li>{@code snapshots.kv}: the same for the snapshot store's LevelDB;
 *   <li>{@code manifest.json}: written last; format version, mode, per-id summary and the size,
 *       record count and SHA-256 of both data entries.
 * </ul>
 */
public final class ArchiveFormat {
  private ArchiveFormat() {}

  public static final int FORMAT_VERSION = 1;
  public static final String FORMAT_NAME = "cairn-backup";
  public static final String MANIFEST = "manifest.json";
  public static final String JOURNAL = "journal.kv";
  public static final String SNAPSHOTS = "snapshots.kv";
  public static final List<String> DATA_ENTRIES = List.of(JOURNAL, SNAPSHOTS);
  public static final List<String> ALL_ENTRIES = List.of(JOURNAL, SNAPSHOTS, MANIFEST);

  /** The manifest is small; anything bigger is not ours. */
  public static final long MAX_MANIFEST_BYTES = 256L << 20;

  /** Zip central directories bigger than this or with more entries are rejected unread. */
  public static final long MAX_CENTRAL_DIRECTORY_BYTES = 1L << 20;

  public static final int MAX_ZIP_ENTRIES = 64;

  static final byte[] KV_MAGIC = "CAIRN-KV".getBytes(StandardCharsets.US_ASCII);
  static final int KV_VERSION = 1;
}
