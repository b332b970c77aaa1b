package dev.cairn.persistence.backup.internal;

import dev.cairn.persistence.backup.ArchiveCorruptException;
import dev.cairn.persistence.backup.ArchiveEntry;
import dev.cairn.persistence.backup.ArchiveLimits;
import dev.cairn.persistence.backup.ArchiveNotFoundException;
import dev.cairn.persistence.backup.BackupManifest;
import dev.cairn.persistence.backup.ProgressListener;
import dev.cairn.persistence.backup.UnsafeArchiveException;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * INTERNAL API. Opens an archive as untrusted input. {@link #open} checks the structure (entry
 * names, links, sizes, counts, manifest) without reading data; {@link #read} streams one data
 * entry and fails at its end unless its length, record count and SHA-256 match the manifest.
 */
public final class ArchiveReader implements Closeable {
  private final Path archive;
  private final ZipFile zip;
  private final BackupManifest manifest;
  private final ArchiveLimits limits;

  private ArchiveReader(Path archive, ZipFile zip, BackupManifest manifest, ArchiveLimits limits) {
    this.archive = archive;
    this.zip = zip;
    this.manifest = manifest;
    this.limits = limits;
  }

  public static ArchiveReader open(Path archive, ArchiveLimits limits) throws IOException {
    if (!Files.exists(archive)) {
      throw new ArchiveNotFoundException("Archive " + archive + " does not exist");
    }
    if (!Files.isRegularFile(archive)) {
      throw new ArchiveNotFoundException("Archive " + archive + " is not a regular file");
    }
    checkEntries(archive, ZipCentralDirectory.read(archive));
    ZipFile zip;
    try {
      zip = new ZipFile(archive.toFile());
    } catch (ZipException e) {
      throw new ArchiveCorruptException(
          "File " + archive + " is not a readable zip archive: " + e.getMessage(), e);
    }
    try {
      BackupManifest manifest = ManifestCodec.read(readManifest(archive, zip));
      for (ArchiveEntry declared : manifest.entries()) {
        checkDeclared(archive, zip, declared, limits);
      }
      return new ArchiveReader(archive, zip, manifest, limits);
    } catch (RuntimeException | IOException e) {
      zip.close();
      throw e;
    }
  }

  public BackupManifest manifest() {
    return manifest;
  }

  /** Reads every data entry fully and checks it; returns the number of records. */
  public long verify(ProgressListener progress) throws IOException {
    long records = 0;
    for (String name : ArchiveFormat.DATA_ENTRIES) {
      records += read(name, (k, v) -> {}, progress);
    }
    return records;
  }

  /**
   * Streams one data entry into the sink. The sink sees pairs before the checksum is known: a
   * caller that writes them somewhere must discard that output when this method throws.
   */
  public long read(String name, KvFrames.PairSink sink, ProgressListener progress)
      throws IOException {
    ArchiveEntry declared = manifest.entry(name).orElseThrow();
    ZipEntry entry = zip.getEntry(name);
    MessageDigest digest = ArchiveWriter.sha256();
    long total = declared.records();
    long[] done = {0};
    Bounded bounded = new Bounded(zip.getInputStream(entry), declared.bytes(), name);
    long records;
    try (InputStream in =
        new BufferedInputStream(new DigestInputStream(bounded, digest), 1 << 16)) {
      records = KvFrames.read(name, in, limits, (k, v) -> {
        sink.accept(k, v);
        if ((++done[0] & 0xFFF) == 0) progress.onProgress(name, done[0], total);
      });
    } catch (ZipException e) {
      throw new ArchiveCorruptException(
          "Entry '" + name + "' of " + archive + " cannot be decompressed: " + e.getMessage(), e);
    }
    progress.onProgress(name, records, total);
    if (bounded.count != declared.bytes()) {
      throw new ArchiveCorruptException("Entry '" + name + "' of " + archive + " holds ["
          + bounded.count + "] bytes, its manifest says [" + declared.bytes()
          + "]; the archive was tampered with or is truncated");
    }
    String sha = HexFormat.of().formatHex(digest.digest());
    if (!sha.equals(declared.sha256())) {
      throw new ArchiveCorruptException("Entry '" + name + "' of " + archive
          + " fails its checksum (SHA-256 " + sha + ", manifest says " + declared.sha256()
          + "); the archive was tampered with or is damaged. Nothing was restored from it");
    }
    if (records != declared.records()) {
      throw new ArchiveCorruptException("Entry '" + name + "' of " + archive + " holds ["
          + records + "] records, its manifest says [" + declared.records() + "]");
    }
    return records;
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }

  /** Zip-slip, links, directories, unknown or duplicate entries: reject before reading. */
  private static void checkEntries(Path archive, List<ZipCentralDirectory.Entry> entries) {
    Set<String> names = new HashSet<>();
    for (ZipCentralDirectory.Entry e : entries) {
      String name = e.name();
      if (escapes(name)) {
        throw new UnsafeArchiveException("Archive " + archive + " has an entry named '" + name
            + "' whose path escapes the target directory (zip-slip). Refusing it");
      }
      if (e.isLink()) {
        throw new UnsafeArchiveException("Archive " + archive + " has a link entry '" + name
            + "'; a Cairn backup never holds links. Refusing it");
      }
      if (name.endsWith("/") || e.isSpecial()) {
        throw new UnsafeArchiveException("Archive " + archive + " has a directory or special"
            + " entry '" + name + "'; a Cairn backup holds only its three files. Refusing it");
      }
      if (!ArchiveFormat.ALL_ENTRIES.contains(name)) {
        throw new UnsafeArchiveException("Archive " + archive + " has an unexpected entry '"
            + name + "'; a Cairn backup holds exactly " + ArchiveFormat.ALL_ENTRIES
            + ". Refusing it");
      }
      if (!names.add(name)) {
        throw new UnsafeArchiveException(
            "Archive " + archive + " has entry '" + name + "' twice. Refusing it");
      }
    }
    if (!names.containsAll(ArchiveFormat.ALL_ENTRIES)) {
      Set<String> missing = new HashSet<>(ArchiveFormat.ALL_ENTRIES);
      missing.removeAll(names);
      throw new ArchiveCorruptException("Archive " + archive + " lacks the entries " + missing
          + "; it is incomplete or not a Cairn backup");
    }
  }

  static boolean escapes(String name) {
    if (name.isEmpty() || name.startsWith("/") || name.startsWith("\\")
        || name.contains("\\") || name.indexOf('\0') >= 0
        || (name.length() > 1 && name.charAt(1) == ':')) {
      return true;
    }
    for (String part : name.split("/")) {
      if (part.equals("..")) return true;
    }
    return false;
  }

  private static byte[] readManifest(Path archive, ZipFile zip) throws IOException {
    ZipEntry entry = zip.getEntry(ArchiveFormat.MANIFEST);
    if (entry.getSize() > ArchiveFormat.MAX_MANIFEST_BYTES) {
      throw new UnsafeArchiveException("The manifest of " + archive + " declares ["
          + entry.getSize() + "] bytes, above [" + ArchiveFormat.MAX_MANIFEST_BYTES
          + "]. Refusing it");
    }
    try (InputStream in = zip.getInputStream(entry)) {
      byte[] bytes = in.readNBytes((int) ArchiveFormat.MAX_MANIFEST_BYTES + 1);
      if (bytes.length > ArchiveFormat.MAX_MANIFEST_BYTES) {
        throw new UnsafeArchiveException("The manifest of " + archive + " is larger than ["
            + ArchiveFormat.MAX_MANIFEST_BYTES + "] bytes. Refusing it");
      }
      return bytes;
    } catch (ZipException e) {
      throw new ArchiveCorruptException(
          "The manifest of " + archive + " cannot be decompressed: " + e.getMessage(), e);
    }
  }

  private static void checkDeclared(
      Path archive, ZipFile zip, ArchiveEntry declared, ArchiveLimits limits) {
    String name = declared.name();
    ZipEntry entry = zip.getEntry(name);
    long size = entry.getSize();
    long compressed = entry.getCompressedSize();
    if (declared.bytes() > limits.maxEntryBytes()) {
      throw new UnsafeArchiveException("Entry '" + name + "' of " + archive + " declares ["
          + declared.bytes() + "] bytes, above the limit of [" + limits.maxEntryBytes()
          + "] (ArchiveLimits.maxEntryBytes). Refusing it");
    }
    if (declared.records() > limits.maxRecords()) {
      throw new UnsafeArchiveException("Entry '" + name + "' of " + archive + " declares ["
          + declared.records() + "] records, above the limit of [" + limits.maxRecords()
          + "] (ArchiveLimits.maxRecords). Refusing it");
    }
    // every record takes at least 8 bytes of framing, plus 24 bytes of header and trailer
    if (declared.records() > (declared.bytes() - 24) / 8) {
      throw new UnsafeArchiveException("Entry '" + name + "' of " + archive + " declares ["
          + declared.records() + "] records in [" + declared.bytes()
          + "] bytes, which is impossible. Refusing it");
    }
    if (size != -1 && size != declared.bytes()) {
      throw new ArchiveCorruptException("Entry '" + name + "' of " + archive + " is [" + size
          + "] bytes in the zip directory but [" + declared.bytes()
          + "] in the manifest; the archive was tampered with");
    }
    if (compressed > 0 && declared.bytes() / compressed > limits.maxCompressionRatio()) {
      throw new UnsafeArchiveException("Entry '" + name + "' of " + archive + " expands ["
          + compressed + "] bytes to [" + declared.bytes() + "], a ratio above ["
          + limits.maxCompressionRatio() + "] (ArchiveLimits.maxCompressionRatio). Refusing it");
    }
  }

  /** Fails as soon as an entry yields more bytes than declared (zip bombs). */
  private static final class Bounded extends FilterInputStream {
    private final long max;
    private final String name;
    long count;

    Bounded(InputStream in, long max, String name) {
      super(in);
      this.max = max;
      this.name = name;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) add(1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) add(n);
      return n;
    }

    private void add(long n) {
      count += n;
      if (count > max) {
        throw new UnsafeArchiveException("Entry '" + name + "' yields more than the [" + max
            + "] bytes its manifest declares; the archive was tampered with. Refusing it");
      }
    }
  }
}
