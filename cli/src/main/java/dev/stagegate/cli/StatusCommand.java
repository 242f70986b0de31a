package dev.stagegate.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "status", description = {
    "Show one Release or DataMigration; with --watch, follow it until it finishes.",
    "Exits 0 when Promoted/Succeeded and 1 when RolledBack/Failed, so that CI can wait on it."},
    footer = Exit.HELP)
final class StatusCommand implements Callable<Integer> {
  @Mixin
  Cluster cluster;

  @Parameters(paramLabel = "NAME", description = "The name, or KIND/NAME (release/checkout, dm/members-2025).")
  String name;

  @Option(names = {"-w", "--watch"}, description = "Print each change until the rollout is finished.")
  boolean watch;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "0", converter = DurationText.class,
      description = "With --watch: give up after this long (30s, 10m, 1h30m) with exit code 3; 0 waits forever.")
  Duration timeout;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", converter = DurationText.class,
      hidden = true, description = "With --watch: how often to read the object.")
  Duration interval;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    String namespace = cluster.namespace();
    try (KubernetesClient client = cluster.client()) {
      Lookup lookup = new Lookup(client);
      Lookup.Found found = lookup.find(namespace, name);
      long deadline = timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
      String shown = null;
      while (true) {
        Rollout rollout = found.rollout();
        String view = StatusView.render(rollout);
        // a watch prints a view only when it changed, so a CI log shows each step once
        if (!view.equals(shown)) {
          out.print(shown == null ? view : "\n" + view);
          out.flush();
          shown = view;
        }
        if (rollout.succeeded()) {
          return Exit.OK;
        }
        if (rollout.failed()) {
          return Exit.FAILED;
        }
        if (!watch) {
          return Exit.NOT_FINISHED;
        }
        if (System.nanoTime() >= deadline) {
          spec.commandLine().getErr().printf("timed out after %s: %s %s/%s is still %s%n", DurationText.format(timeout),
              rollout.kind().kind, namespace, rollout.name(), rollout.phaseText());
          return Exit.NOT_FINISHED;
        }
        Thread.sleep(Math.min(interval.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        Kind kind = found.kind();
        found = lookup.get(kind, namespace, rollout.name()).map(r -> new Lookup.Found(kind, r))
            .orElseThrow(() -> new Failure(Exit.NOT_FOUND, kind.kind + " " + namespace + "/" + name
                + " was deleted while watching it"));
      }
    }
  }

  /** Durations as kubectl writes them: 90s, 10m, 1h30m, 500ms; a bare 0 means none. */
  static final class DurationText implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      if (t.equals("0")) {
        return Duration.ZERO;
      }
      if (t.matches("\\d+ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (!t.matches("(\\d+h)?(\\d+m)?(\\d+s)?") || t.isEmpty()) {
        throw new IllegalArgumentException("expected a duration like 90s, 10m or 1h30m, got `" + text + "`");
      }
      return Duration.parse("PT" + t.toUpperCase(Locale.ROOT));
    }

    static String format(Duration d) {
      return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }
  }
}
