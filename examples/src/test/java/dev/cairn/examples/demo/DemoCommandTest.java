package dev.cairn.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.examples.cli.CairnCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cairn demo} through the command line. */
@ExtendWith(LogCapturingExtension.class)
class DemoCommandTest {

  @TempDir Path tmp;

  private record Result(int exitCode, String out, String err) {}

  private static Result cairn(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = CairnCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void demoRunsInTheDirectoryGivenByDirAndEndsWithTheInvariant() {
    Path dir = tmp.resolve("bank");
    Result r = cairn("demo", "--duration", "2s", "--accounts", "12", "--tellers", "2", "--dir", dir.toString(),
        "--keep-logging");

    assertEquals(0, r.exitCode(), r.out() + r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("Invariant: total money is conserved: 12000 == 12000 (HOLDS)", lines.get(lines.size() - 1));
    assertTrue(r.out().contains("transfers "), r.out());
    assertTrue(dir.resolve("journal").toFile().isDirectory(), "the journal is in --dir");
  }

  @Test
  void badFlagsAreUsageErrors() {
    Result accounts = cairn("demo", "--accounts", "1", "--dir", tmp.toString());
    Result duration = cairn("demo", "--duration", "soon", "--dir", tmp.toString());

    assertEquals(2, accounts.exitCode());
    assertTrue(accounts.err().contains("'--accounts' must be between 2 and 10000, was [1]"), accounts.err());
    assertEquals(2, duration.exitCode());
    assertTrue(duration.err().contains("'soon' is not a duration"), duration.err());
  }

  @Test
  void durationsReadAsPeopleWriteThem() {
    DemoCommand.DurationConverter c = new DemoCommand.DurationConverter();
    assertEquals(Duration.ofSeconds(20), c.convert("20s"));
    assertEquals(Duration.ofMinutes(2), c.convert("2m"));
    assertEquals(Duration.ofSeconds(90), c.convert("1m30s"));
    assertEquals(Duration.ofMillis(500), c.convert("500ms"));
    assertEquals(Duration.ofSeconds(20), c.convert("PT20S"));
    assertThrows(CommandLine.TypeConversionException.class, () -> c.convert("20"));
    assertThrows(CommandLine.TypeConversionException.class, () -> c.convert("20s later"));
  }
}
