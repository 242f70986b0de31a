package dev.stagegate.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The soak's faults, drawn from a seed before the run starts, so that a run that found something can be
 * repeated fault for fault (`--seed`). One fault at a time: each starts 20-60 s after the last one ended.
 */
final class FaultSchedule {
  enum Kind {
    /** The metrics endpoint answers HTTP 500. */
    PROMETHEUS_500,
    /** The metrics endpoint answers after 15 s. */
    PROMETHEUS_SLOW,
    /** The metrics endpoint answers NaN. */
    PROMETHEUS_NAN,
    /** One Release's error rate is 100%: its canary should roll back. */
    BAD_CANARY,
    /** The operator JVM gets SIGKILL and a new one is started. */
    OPERATOR_KILL,
    /** Loader Jobs fail: running DataMigrations should undo. */
    LOADER_FAIL
  }

  /** {@code target}: the Release index a BAD_CANARY picks (0 for the other kinds). */
  record Fault(int atSecond, Kind kind, int seconds, int target) {
    int endSecond() {
      return atSecond + seconds;
    }

    String describe() {
      return kind + (kind == Kind.BAD_CANARY ? " " + Workload.releaseName(target) : "")
          + (seconds > 0 ? " for " + seconds + "s" : "");
    }
  }

  private FaultSchedule() {}

  static List<Fault> plan(long seed, int minutes, int releases) {
    Random random = new Random(seed);
    Kind[] kinds = Kind.values();
    List<Fault> faults = new ArrayList<>();
    int at = 30 + random.nextInt(31);
    while (at < minutes * 60) {
      Kind kind = kinds[random.nextInt(kinds.length)];
      int seconds = switch (kind) {
        case OPERATOR_KILL -> 0;
        case BAD_CANARY -> 60 + random.nextInt(61);
        default -> 20 + random.nextInt(41);
      };
      int target = kind == Kind.BAD_CANARY ? random.nextInt(releases) : 0;
      faults.add(new Fault(at, kind, seconds, target));
      at += seconds + 20 + random.nextInt(41);
    }
    return faults;
  }
}
