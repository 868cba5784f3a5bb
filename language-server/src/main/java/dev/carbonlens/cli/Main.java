package dev.carbonlens.cli;

import dev.carbonlens.check.CheckCommand;
import dev.carbonlens.lsp.LspCommand;
import dev.carbonlens.report.ReportCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `carbonlens check | report | lsp | rules | explain`: one launcher for CI, reports and editors. */
@Command(
    name = "carbonlens",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = "Estimates the carbon cost of ML training and serving configs before they run.",
    subcommands = {CheckCommand.class, ReportCommand.class, LspCommand.class, RulesCommand.class, ExplainCommand.class, WarmUpCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error or tool failure. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler((e, command, parsed) -> {
      command.getErr().println("carbonlens: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return 2;
    });
    cli.setParameterExceptionHandler((e, args1) -> {
      e.getCommandLine().getErr().println("carbonlens: " + e.getMessage());
      e.getCommandLine().usage(e.getCommandLine().getErr());
      return 2;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"carbonlens " + Version.VERSION};
    }
  }
}
