package dev.cairn.persistence.backup.internal;

import dev.cairn.persistence.backup.ArchiveCorruptException;
import dev.cairn.persistence.backup.UnsafeArchiveException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * INTERNAL API. Reads the names and Unix file modes of a zip's central directory, which
 * {@link java.util.zip.ZipFile} does not expose: a link is only visible in the mode bits.
 */
public final class ZipCentralDirectory {
  private ZipCentralDirectory() {}

  private static final int EOCD_SIGNATURE = 0x06054b50;
  private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
  private static final int ZIP64_EOCD_SIGNATURE = 0x06064b50;
  private static final int CEN_SIGNATURE = 0x02014b50;
  private static final int EOCD_MIN = 22;
  private static final int HOST_UNIX = 3;

  /** Unix file type bits (S_IFMT) and the types we care about. */
  public static final int S_IFMT = 0170000;
  public static final int S_IFLNK = 0120000;
  public static final int S_IFREG = 0100000;
  public static final int S_IFDIR = 0040000;

  /**
   * One central directory record.
   *
   * @param unixMode the Unix mode when the entry was made on Unix, else -1
   */
  public record Entry(String name, int unixMode) {
    public boolean isLink() {
      return unixMode != -1 && (unixMode & S_IFMT) == S_IFLNK;
    }

    /** True when the mode names a type other than a regular file (links, devices, fifos). */
    public boolean isSpecial() {
      return unixMode != -1 && (unixMode & S_IFMT) != 0 && (unixMode & S_IFMT) != S_IFREG;
    }
  }

  public static List<Entry> read(Path zip) throws IOException {
    try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < EOCD_MIN) throw notZip(zip);
      int tail = (int) Math.min(size, EOCD_MIN + 0xFFFF + 20L);
      ByteBuffer end = read(ch, size - tail, tail);
      int eocd = -1;
      for (int i = tail - EOCD_MIN; i >= 0; i--) {
        if (end.getInt(i) == EOCD_SIGNATURE) {
          eocd = i;
          break;
        }
      }
      if (eocd < 0) throw notZip(zip);
      long count = end.getShort(eocd + 10) & 0xFFFFL;
      long cdSize = end.getInt(eocd + 12) & 0xFFFFFFFFL;
      long cdOffset = end.getInt(eocd + 16) & 0xFFFFFFFFL;
      if (count == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
        int locator = eocd - 20;
        if (locator < 0 || end.getInt(locator) != ZIP64_LOCATOR_SIGNATURE) throw notZip(zip);
        long zip64Eocd = end.getLong(locator + 8);
        if (zip64Eocd < 0 || zip64Eocd + 56 > size) throw notZip(zip);
        ByteBuffer z = read(ch, zip64Eocd, 56);
        if (z.getInt(0) != ZIP64_EOCD_SIGNATURE) throw notZip(zip);
        count = z.getLong(32);
        cdSize = z.getLong(40);
        cdOffset = z.getLong(48);
      }
      if (count > ArchiveFormat.MAX_ZIP_ENTRIES) {
        throw new UnsafeArchiveException(
            "Archive " + zip + " declares [" + count + "] entries; a Cairn backup has "
                + ArchiveFormat.ALL_ENTRIES.size() + ". Refusing it");
      }
      if (cdSize > ArchiveFormat.MAX_CENTRAL_DIRECTORY_BYTES || cdOffset < 0
          || cdOffset + cdSize > size) {
        throw new UnsafeArchiveException(
            "Archive " + zip + " has a central directory of [" + cdSize + "] bytes at offset ["
                + cdOffset + "] in a file of [" + size + "] bytes. Refusing it");
      }
      ByteBuffer cd = read(ch, cdOffset, (int) cdSize);
      List<Entry> entries = new ArrayList<>();
      int p = 0;
      for (long i = 0; i < count; i++) {
        if (p + 46 > cdSize || cd.getInt(p) != CEN_SIGNATURE) {
          throw new ArchiveCorruptException(
              "Archive " + zip + " has a broken central directory (record " + (i + 1) + ")");
        }
        int madeBy = cd.getShort(p + 4) & 0xFFFF;
        int nameLength = cd.getShort(p + 28) & 0xFFFF;
        int extraLength = cd.getShort(p + 30) & 0xFFFF;
        int commentLength = cd.getShort(p + 32) & 0xFFFF;
        long external = cd.getInt(p + 38) & 0xFFFFFFFFL;
        if (p + 46 + nameLength > cdSize) {
          throw new ArchiveCorruptException(
              "Archive " + zip + " has a broken central directory (record " + (i + 1) + ")");
        }
        byte[] name = new byte[nameLength];
        cd.get(p + 46, name);
        int mode = (madeBy >> 8) == HOST_UNIX ? (int) (external >>> 16) : -1;
        entries.add(new Entry(new String(name, StandardCharsets.UTF_8), mode));
        p += 46 + nameLength + extraLength + commentLength;
      }
      return entries;
    }
  }

  private static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buf.hasRemaining()) {
      if (ch.read(buf, position + buf.position()) < 0) break;
    }
    return buf.clear();
  }

  private static ArchiveCorruptException notZip(Path zip) {
    return new ArchiveCorruptException(
        "File " + zip + " is not a Cairn backup archive (no zip directory found); it is"
            + " truncated or not an archive");
  }
}
