package dev.cairn.examples.demo;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.nio.file.Path;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Sends the demo's logging to a file in its data directory: failures are what the demo is about, so
 * Pekko's and Cairn's logs of them belong in {@code demo.log}, not between the status lines. Only
 * errors of the demo itself still reach the console.
 */
final class DemoLogging {
  private DemoLogging() {}

  static void toFile(Path logFile) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext context)) return; // another SLF4J backend: leave it alone
    URL config = DemoLogging.class.getResource("demo-logback.xml");
    if (config == null) return;
    context.reset();
    context.putProperty("CAIRN_DEMO_LOG", logFile.toAbsolutePath().toString());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      System.err.println("cairn demo: could not configure logging to " + logFile + ": " + e.getMessage());
    }
  }
}
