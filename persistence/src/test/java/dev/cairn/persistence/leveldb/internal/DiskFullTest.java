package dev.cairn.persistence.leveldb.internal;

import static org.junit.jupiter.api.Assertions.*;

import dev.cairn.persistence.leveldb.DiskFullException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real nearly full disk: the directory lives on a small tmpfs (mounting one needs root; the
 * test is skipped, saying so, where that is not allowed). Native LevelDB writes through memory
 * maps, so actually running out of space kills the JVM with SIGBUS (this test did, before the
 * {@code min-free-space} check): the store must refuse writes with {@link DiskFullException}
 * before that, keep every acknowledged event, and take writes again once space is back.
 */
class DiskFullTest {
  @TempDir Path tmp;
  private Path mount;
  private boolean mounted;

  @BeforeEach
  void mountSmallFileSystem() throws Exception {
    mount = Files.createDirectories(tmp.resolve("small"));
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small tmpfs needs root");
    mounted = run("mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", mount.toString());
    Assumptions.assumeTrue(mounted, "mount -t tmpfs is not allowed here");
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) assertTrue(run("umount", mount.toString()), "umount " + mount);
  }

  private static boolean run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  private static AppendTask event(long seqNr, byte[] payload) {
    return new AppendTask(List.of(new AppendTask.AtomicGroup("p-1",
        List.of(AppendTask.event("p-1", seqNr, 1000L + seqNr, 20, "", "", "w", List.of(), payload)))), true);
  }

  @Test
  void writesAreRefusedWithDiskFullBeforeTheDiskRunsOutAndResumeWhenSpaceIsBack() throws Exception {
    Path dir = mount.resolve("journal");
    Path filler = mount.resolve("filler");
    byte[] payload = new byte[16 * 1024];
    Arrays.fill(payload, (byte) 'x');
    List<Long> acknowledged = new ArrayList<>();
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      LevelDbStore store = lease.store();
      Files.write(filler, new byte[16 * 1024 * 1024]); // ~80 MiB left: ~16 MiB above the 64 MiB reserve
      Throwable failure = null;
      for (long seq = 1; seq <= 10_000 && failure == null; seq++) {
        try {
          store.submit(event(seq, payload)).join();
          acknowledged.add(seq);
        } catch (CompletionException e) {
          failure = e.getCause();
        }
      }
      assertNotNull(failure, "writes were never refused");
      DiskFullException full = assertInstanceOf(DiskFullException.class, failure, String.valueOf(failure));
      assertTrue(full.getMessage().contains("less than min-free-space (64.0 MiB)"), full.getMessage());
      assertTrue(full.getMessage().contains(dir.toString()), full.getMessage());
      assertTrue(acknowledged.size() > 100, "only " + acknowledged.size() + " events before the refusal");
      assertEquals(acknowledged.get(acknowledged.size() - 1), store.highestSequenceNr("p-1"), "the refused write left nothing");

      Files.delete(filler); // space is back: the same store takes writes again
      long next = store.highestSequenceNr("p-1") + 1;
      store.submit(event(next, "after".getBytes(StandardCharsets.UTF_8))).join();
      acknowledged.add(next);
    }
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      List<Long> stored = new ArrayList<>();
      try (CloseableIterator<EventRecord> it = lease.store().events("p-1", 1, Long.MAX_VALUE)) {
        it.forEachRemaining(r -> stored.add(r.sequenceNr()));
      }
      assertEquals(acknowledged, stored);
      assertTrue(lease.store().verify().problems().isEmpty(), String.valueOf(lease.store().verify().problems()));
    }
  }
}
