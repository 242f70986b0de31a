package dev.stagegate.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `kubectl stagegate`: kubectl runs this executable (kubectl-stagegate, found on PATH) with the words after
 * `stagegate`. See README.md, "kubectl stagegate".
 */
@Command(name = "kubectl stagegate", mixinStandardHelpOptions = true, version = "kubectl-stagegate 0.1.0",
    description = "Watch and steer Stagegate Releases and DataMigrations.",
    footer = Exit.HELP,
    subcommands = {GetCommand.class, StatusCommand.class, Main.Promote.class, Main.Pause.class, Main.Resume.class,
        Main.Abort.class, Main.Retry.class, Main.Approve.class})
public final class Main implements Callable<Integer> {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with the plugin's error handling, for main and for tests that capture its output. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof Failure f) {
        cmd.getErr().println("error: " + f.getMessage());
        cmd.getErr().flush();
        return f.exitCode;
      }
      if (e instanceof KubernetesClientException k) {
        cmd.getErr().println("error: " + apiError(k));
        cmd.getErr().flush();
        return Exit.NOT_FOUND;
      }
      throw e;
    });
    return cli;
  }

  @Spec
  CommandSpec spec;

  /** `kubectl stagegate` alone: the usage, on stderr, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Exit.USAGE;
  }

  /** The API server's own reason when it gave one, else what stopped the request (e.g. connection refused). */
  private static String apiError(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String what = e.getMessage() == null ? "the request failed" : e.getMessage().replaceFirst("\\.?\\s*\\(null\\)$", "")
        .replaceFirst("\\.$", "");
    return root == e ? what : what + ": " + root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : " " + root.getMessage());
  }

  @Command(name = "promote", description = {
      "Release: complete the current stage now (passes an approval gate); --full: skip the rest.",
      "Not for a DataMigration (use approve)."}, footer = Exit.HELP)
  static final class Promote extends ActionCommand implements Callable<Integer> {
    @Option(names = "--full", description = "Promote to 100% at once, skipping the remaining stages.")
    boolean full;

    @Override
    public Integer call() {
      return request(full ? Action.PROMOTE_FULL : Action.PROMOTE);
    }
  }

  @Command(name = "pause", description = "Release: hold at the current stage until resume.", footer = Exit.HELP)
  static final class Pause extends ActionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      return request(Action.PAUSE);
    }
  }

  @Command(name = "resume", description = {"Go on: a paused Release, or a DataMigration after a failed verify check",
      "(its checks are evaluated again)."}, footer = Exit.HELP)
  static final class Resume extends ActionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      return request(Action.RESUME);
    }
  }

  @Command(name = "abort", description = {"Roll back now: a Release to its stable revision, a DataMigration",
      "by undoing every loaded stage, newest first."}, footer = Exit.HELP)
  static final class Abort extends ActionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      return request(Action.ABORT);
    }
  }

  @Command(name = "retry", description = {
      "Try again: a Release's canary from the first stage (after a failed check or a rollback),",
      "a DataMigration's current stage (undone, then loaded again: retry-stage)."}, footer = Exit.HELP)
  static final class Retry extends ActionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      return request(Action.RETRY);
    }
  }

  @Command(name = "approve", description = {"DataMigration: let a verified Manual stage go on to the next.",
      "Not for a Release (its approval gate is passed with promote)."}, footer = Exit.HELP)
  static final class Approve extends ActionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      return request(Action.APPROVE);
    }
  }
}
