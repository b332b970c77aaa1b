package dev.cairn.persistence.leveldb;

import java.io.File;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.Options;

/** Run in a separate JVM by tests: holds a LevelDB directory open until stdin closes. */
public final class LockHolder {
  public static void main(String[] args) throws Exception {
    Options o = new Options().createIfMissing(true);
    try (DB db = org.iq80.leveldb.impl.Iq80DBFactory.factory.open(new File(args[0]), o)) {
      System.out.println("locked");
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait until the test closes our stdin
      }
    }
  }

  /** Starts a holder process for {@code dir} and waits until it holds the lock. */
  static Process start(java.nio.file.Path dir) throws Exception {
    String javaBin = java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), dir.toString())
        .redirectErrorStream(true).start();
    java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
    String line = r.readLine();
    if (!"locked".equals(line)) throw new IllegalStateException("lock holder did not start: " + line);
    return p;
  }

  static void stop(Process p) throws Exception {
    p.getOutputStream().close();
    if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
  }
}
