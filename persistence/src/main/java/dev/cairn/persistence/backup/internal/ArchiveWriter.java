package dev.cairn.persistence.backup.internal;

import dev.cairn.persistence.backup.ArchiveEntry;
import dev.cairn.persistence.backup.BackupManifest;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** INTERNAL API. Writes one archive: data entries first, the manifest last. */
public final class ArchiveWriter implements Closeable {
  private final Path file;
  private final OutputStream fileOut;
  private final ZipOutputStream zip;
  private MessageDigest digest;
  private CountingStream counting;
  private KvFrames.Writer frames;
  private String entryName;

  public ArchiveWriter(Path file) throws IOException {
    this.file = file;
    this.fileOut = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW);
    this.zip = new ZipOutputStream(new BufferedOutputStream(fileOut, 1 << 16));
    this.zip.setLevel(Deflater.BEST_SPEED);
  }

  public KvFrames.Writer beginEntry(String name) throws IOException {
    if (frames != null) throw new IllegalStateException("entry " + entryName + " still open");
    zip.putNextEntry(new ZipEntry(name));
    digest = sha256();
    counting = new CountingStream(zip);
    // buffered above the digest and the zip: the framing writes ints byte by byte
    frames = new KvFrames.Writer(
        new BufferedOutputStream(new DigestOutputStream(counting, digest), 1 << 16));
    entryName = name;
    return frames;
  }

  public ArchiveEntry endEntry() throws IOException {
    frames.finish();
    zip.closeEntry();
    ArchiveEntry entry = new ArchiveEntry(
        entryName, counting.count, frames.records(), HexFormat.of().formatHex(digest.digest()));
    frames = null;
    entryName = null;
    return entry;
  }

  /** Writes the manifest, closes the archive and forces it to disk. */
  public void finish(BackupManifest manifest) throws IOException {
    zip.putNextEntry(new ZipEntry(ArchiveFormat.MANIFEST));
    zip.write(ManifestCodec.write(manifest));
    zip.closeEntry();
    zip.close();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  @Override
  public void close() throws IOException {
    zip.close();
    fileOut.close();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }

  private static final class CountingStream extends FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void close() {
      // the zip stream stays open for the next entry
    }
  }
}
