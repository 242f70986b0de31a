package dev.stagegate.demo;

import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.release.Release;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `make demo`: starts the sandbox, runs the six scenarios against the unchanged operator, shows them live, and
 * ends with a summary table, target/demo/summary.json and target/demo/timeline.svg. Exit code 0 when every
 * scenario ended as expected, 1 when one did not, 2 when a part of the sandbox could not start.
 */
@Command(name = "stagegate-demo", mixinStandardHelpOptions = true, version = "stagegate demo 0.1.0",
    description = "Runs Stagegate's six demo scenarios against a sandbox cluster, with a live view.")
public final class DemoMain implements Callable<Integer> {

  @Option(names = "--headless", description = "No colours: output for CI logs.")
  boolean headless;

  @Option(names = "--keep", description = "Leave the sandbox running after the scenarios (kubectl works against the"
      + " real API server), until Ctrl-C.")
  boolean keep;

  @Option(names = "--output", description = "Folder for summary.json, timeline.svg and demo.log."
      + " Default: target/demo in the repository.")
  Path output;

  @Option(names = "--api", defaultValue = "auto", description = "auto (the real kube-apiserver when built, else the"
      + " mock server), real or mock. Default: ${DEFAULT-VALUE}")
  String api;

  @Option(names = "--simulated-metrics", description = "Without Prometheus: compute the checks' values from the demo"
      + " app (clearly labelled; the real thing needs `apt-get install prometheus`).")
  boolean simulatedMetrics;

  @Option(names = "--scenarios", split = ",", description = "Only these scenarios, e.g. 1,2 (default: all).")
  List<Integer> only;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DemoMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Instant startedAt = Instant.now();
    long t0 = System.nanoTime();
    Terminal terminal = Terminal.stdout(headless);
    DemoOptions options;
    ExampleResources examples;
    Release example;
    DataMigration migrationExample = null;
    Set<Integer> wanted = only == null || only.isEmpty() ? Set.of(1, 2, 3, 4, 5, 6) : new LinkedHashSet<>(only);
    boolean migrations = wanted.stream().anyMatch(n -> n >= 3);
    try {
      Path root = ExampleResources.findRepoRoot(Path.of(""));
      Path out = output != null ? output : root.resolve("target/demo");
      Files.createDirectories(out);
      options = new DemoOptions(headless, keep, out, apiMode(api), simulatedMetrics, root);
      DemoLogging.toFile(out.resolve("demo.log"));
      examples = new ExampleResources(root);
      example = DemoTiming.DEMO.shorten(examples.release());
      if (migrations) {
        migrationExample = DemoTiming.DEMO.shorten(examples.dataMigration());
      }
    } catch (SandboxException e) {
      terminal.line(terminal.red("stagegate demo: " + e.getMessage()));
      return 2;
    }

    terminal.line(terminal.bold("Stagegate demo") + terminal.dim(" — six scenarios against the unchanged operator;"
        + " logs in " + options.repoRoot().relativize(options.outputDir().toAbsolutePath()) + "/demo.log"));
    terminal.line(terminal.bold("Resources   ") + options.repoRoot().relativize(examples.releaseFile())
        + " with only durations shortened: stages " + DemoTiming.DEMO.stageDuration() + ", checks every "
        + DemoTiming.DEMO.checkInterval() + ", progress deadline " + DemoTiming.DEMO.progressDeadline());
    if (migrationExample != null) {
      terminal.line(terminal.bold("            ") + options.repoRoot().relativize(examples.dataMigrationFile())
          + " with only the verify intervals shortened to " + DemoTiming.DEMO.verifyInterval());
    }

    Sandbox sandbox;
    String appName = example.getSpec().getSelector().getMatchLabels().get("app");
    Timeline timeline = new Timeline();
    LiveView view = new LiveView(terminal, Clock.systemUTC(), timeline);
    try {
      sandbox = Sandbox.start(options, terminal, appName, example.getMetadata().getNamespace(), migrations,
          view::loaderProgress);
    } catch (SandboxException e) {
      terminal.line(terminal.red("stagegate demo: cannot start the sandbox: " + e.getMessage()));
      return 2;
    }
    // Ctrl-C: the JVM runs this, and every process the sandbox started (Prometheus, API server, PostgreSQL) stops.
    Thread stopOnExit = new Thread(() -> {
      terminal.line(terminal.yellow("stopping the sandbox: operator, API server, Prometheus, PostgreSQL ..."));
      sandbox.close();
    }, "stop-sandbox");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    List<Watcher<?>> watchers = new ArrayList<>();
    try {
      List<ScenarioResult> results = new ArrayList<>();
      // Open for the whole run, and after it with --keep: every change anyone makes shows in the live view.
      own(watchers, new Watcher<>(sandbox.client(), Release.class,
          example.getMetadata().getNamespace(), view::release));
      ReleaseScenarios releases = new ReleaseScenarios(sandbox, view, timeline, example);
      if (wanted.contains(1) || wanted.contains(2) || wanted.contains(6)) {
        terminal.line("");
        terminal.line(terminal.bold("━━ Setup: the example Release's first revision"));
        releases.deployFirstRevision();
      }
      run(1, wanted, results, view, "checkout v2, healthy", "Promoted",
          "10% → 50% → 100%, promoted", () -> releases.healthyCanary(1, "checkout v2, healthy", "Promoted"));
      run(2, wanted, results, view, "checkout v3, 8% errors", "RolledBack",
          "rolled back during the first stage; the previous revision keeps serving",
          () -> releases.badCanary(2, "checkout v3, 8% errors", "RolledBack"));
      if (migrationExample != null) {
        own(watchers, new Watcher<>(sandbox.client(), DataMigration.class, null, view::migration));
        MigrationScenarios m = new MigrationScenarios(sandbox, view, timeline, migrationExample);
        run(3, wanted, results, view, "members, Secret points at UAT", "Failed/GuardFailed",
            "the guards stop it before any write",
            () -> m.uatSource(3, "members, Secret points at UAT", "Failed/GuardFailed"));
        run(4, wanted, results, view, "members, loader writes fixtures", "RolledBack/VerifyFailed",
            "the pilot's compare finds the fixtures, undo removes them, the target is as before",
            () -> m.fixturesLoader(4, "members, loader writes fixtures", "RolledBack/VerifyFailed"));
        run(5, wanted, results, view, "members, correct", "Succeeded",
            "pilot → ramp → full, every compare clean",
            () -> m.correct(5, "members, correct", "Succeeded"));
        LinkedScenario linked = new LinkedScenario(sandbox, view, timeline, example, migrationExample, m);
        run(6, wanted, results, view, "checkout v4 needs the members; loader writes fixtures",
            "RolledBack+RolledBack/VerifyFailed",
            "the new revision waits at no pods for the pilot's members; the pilot's compare fails, the migration"
                + " undoes it, the canary rolls back with it, never having served",
            () -> linked.badLoaderRollsBothBack(6, "checkout v4 needs the members; loader writes fixtures",
                "RolledBack+RolledBack/VerifyFailed"));
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      Path picture = options.outputDir().resolve("timeline.svg");
      Files.writeString(picture, TimelineSvg.render("Stagegate demo: what the operator saw and decided",
          "run " + startedAt.toString().substring(0, 19).replace('T', ' ') + " UTC against "
              + sandbox.api().description().replaceFirst(" \\(.*", "") + ", metrics from "
              + (sandbox.simulatedMetrics() ? "SIMULATED values" : "a real Prometheus"),
          timeline, List.of(
              new TimelineSvg.ReleasePanel(1, "1. checkout v2, healthy: 10% → 50% → 100%, promoted"),
              new TimelineSvg.ReleasePanel(2, "2. checkout v3, 8% errors: rolled back in the first stage")),
          List.of(new TimelineSvg.LinkedPanel(6, "6. checkout v4 waits for the members' pilot (spec.gates); a bad"
              + " loader rolls both back")),
          new TimelineSvg.RowsPanel(5, "5. DataMigration members: rows loaded per stage")));
      Summary summary = Summary.of(sandbox.api().description(), sandbox.metricsDescription(), startedAt.toString(),
          wall, picture.toString(), results);
      summary.writeJson(options.outputDir().resolve("summary.json"));

      terminal.line("");
      terminal.line(terminal.bold("━━ Summary") + terminal.dim(String.format(Locale.ROOT, " — %.0fs wall time", wall)));
      summary.table(terminal).forEach(terminal::line);
      terminal.line("");
      terminal.line("Picture: " + picture + "   Summary: " + options.outputDir().resolve("summary.json"));
      if (keep) {
        view.beginFreeRun();
        keepRunning(sandbox, terminal, options, example);
      }
      return summary.allAsExpected() ? 0 : 1;
    } finally {
      watchers.forEach(Watcher::close);
      sandbox.close();
      try {
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
      } catch (IllegalStateException jvmExiting) {
        // the hook is running or ran: the sandbox is stopped either way
      }
    }
  }

  private static <T extends Watcher<?>> T own(List<Watcher<?>> watchers, T watcher) {
    watchers.add(watcher);
    return watcher;
  }

  interface ScenarioBody {
    ScenarioResult run() throws Exception;
  }

  private static void run(int number, Set<Integer> wanted, List<ScenarioResult> results, LiveView view, String title,
      String expectedOutcome, String expectation, ScenarioBody body) {
    if (!wanted.contains(number)) {
      return;
    }
    view.beginScenario(number, title, expectation);
    ScenarioResult result;
    try {
      result = body.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (Exception e) {
      result = new ScenarioResult(number, "scenario-" + number, title, expectedOutcome,
          "Error: " + e.getMessage(), false, view.secondsSinceScenarioStart(), null, null, e.toString());
    }
    Terminal t = view.terminal();
    String verdict = result.asExpected() ? t.green("✓ as expected") : t.red("✗ NOT as expected");
    t.line(String.format(Locale.ROOT, "   %s: %s after %.1fs — %s", verdict, result.outcome(),
        result.secondsToDecision(), result.detail()));
    results.add(result);
  }

  private static void keepRunning(Sandbox sandbox, Terminal t, DemoOptions options, Release example)
      throws InterruptedException {
    t.line("");
    t.line(t.bold("The sandbox keeps running; changes show below (Ctrl-C stops it and everything it started)."));
    var kubeconfig = sandbox.api().writeKubeconfig(options.outputDir().resolve("kubeconfig"));
    if (kubeconfig.isPresent()) {
      String cmd = kubectl(options.repoRoot()) + " --kubeconfig " + kubeconfig.get();
      String ns = example.getMetadata().getNamespace();
      t.line("  " + cmd + " get releases,datamigrations -A -w");
      t.line("  " + cmd + " -n " + ns + " patch release " + example.getMetadata().getName() + " --type=json -p '[{\"op\":"
          + "\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"registry.example.com/shop/"
          + "checkout:1.7.0\"}]'   # a new revision: a canary starts");
      t.line("  " + cmd + " -n " + ns + " annotate release " + example.getMetadata().getName()
          + " stagegate.dev/action=promote --overwrite");
    } else {
      t.line(t.yellow("  kubectl cannot talk to the mock API server; build the real one with scripts/control-plane.sh"
          + " and run `make demo ARGS=--keep` again."));
    }
    new CountDownLatch(1).await();
  }

  /** The repository's kubectl (scripts/kube-tools.sh), else the one built beside kube-apiserver, else the PATH's. */
  private static String kubectl(Path repoRoot) {
    for (Path candidate : List.of(repoRoot.resolve(".tools/bin/kubectl"), RealKubeApi.binaryFolder().resolve("kubectl"))) {
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return "kubectl";
  }

  private static DemoOptions.ApiMode apiMode(String text) {
    try {
      return DemoOptions.ApiMode.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new SandboxException("--api: expected auto, real or mock, got '" + text + "'");
    }
  }

}
