package dev.cairn.examples.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run the demo bank.
 *
 * @param duration how long transfers and faults run (then the bank quiesces and checks its books)
 * @param accounts accounts of a new bank (a bank continued from its journal keeps its own count)
 * @param tellers transfer coordinators running at once
 * @param seed drives the transfers and the faults
 * @param dataDir holds the journal ({@code journal/}), the snapshots ({@code snapshots/}) and {@code demo.log}
 * @param poison also inject one poison event (quarantined by redo)
 * @param faultInterval time between two injected faults
 * @param logToFile send all logging to {@code demo.log} in the data directory (the command line does;
 *     tests keep their own logging)
 */
public record DemoOptions(Duration duration, int accounts, int tellers, long seed, Path dataDir, boolean poison,
    Duration faultInterval, boolean logToFile) {

  /** Opening balance of every account. */
  public static final long OPENING_BALANCE = 1_000;
  /** Accounts per ONE_FOR_ALL group. */
  public static final int GROUP_SIZE = 10;

  public DemoOptions {
    Objects.requireNonNull(duration, "'duration' must not be null");
    Objects.requireNonNull(dataDir, "'dataDir' must not be null");
    Objects.requireNonNull(faultInterval, "'faultInterval' must not be null");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("'--duration' must be > 0, was [" + duration + "]");
    }
    if (accounts < 2 || accounts > 10_000) {
      throw new IllegalArgumentException("'--accounts' must be between 2 and 10000, was [" + accounts + "]");
    }
    if (tellers < 1 || tellers > 100) {
      throw new IllegalArgumentException("'--tellers' must be between 1 and 100, was [" + tellers + "]");
    }
    if (faultInterval.isNegative() || faultInterval.isZero()) {
      throw new IllegalArgumentException("'faultInterval' must be > 0, was [" + faultInterval + "]");
    }
  }

  /** 20 seconds, 100 accounts, 8 tellers, seed 42, {@code ./cairn-data}, a fault every 200 ms. */
  public static DemoOptions defaults() {
    return new DemoOptions(Duration.ofSeconds(20), 100, 8, 42, Path.of("cairn-data"), false, Duration.ofMillis(200),
        false);
  }

  public DemoOptions withDuration(Duration value) {
    return new DemoOptions(value, accounts, tellers, seed, dataDir, poison, faultInterval, logToFile);
  }

  public DemoOptions withAccounts(int value) {
    return new DemoOptions(duration, value, tellers, seed, dataDir, poison, faultInterval, logToFile);
  }

  public DemoOptions withTellers(int value) {
    return new DemoOptions(duration, accounts, value, seed, dataDir, poison, faultInterval, logToFile);
  }

  public DemoOptions withSeed(long value) {
    return new DemoOptions(duration, accounts, tellers, value, dataDir, poison, faultInterval, logToFile);
  }

  public DemoOptions withDataDir(Path value) {
    return new DemoOptions(duration, accounts, tellers, seed, value, poison, faultInterval, logToFile);
  }

  public DemoOptions withPoison(boolean value) {
    return new DemoOptions(duration, accounts, tellers, seed, dataDir, value, faultInterval, logToFile);
  }

  public DemoOptions withFaultInterval(Duration value) {
    return new DemoOptions(duration, accounts, tellers, seed, dataDir, poison, value, logToFile);
  }

  public DemoOptions withLogToFile(boolean value) {
    return new DemoOptions(duration, accounts, tellers, seed, dataDir, poison, faultInterval, value);
  }
}
