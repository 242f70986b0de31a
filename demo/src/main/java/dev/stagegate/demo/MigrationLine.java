package dev.stagegate.demo;

import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.GuardStatus;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.api.migration.VerifyStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One line of the live view for a DataMigration: phase, stage, a bar of rows migrated, each stage's state, and
 * the guards or verify checks with what they saw. Pure, like {@link ReleaseLine}.
 */
public record MigrationLine(String phase, String reason, String stage, Long rowsMigrated, Long rowsTotal,
    String stages, List<String> checks, List<Boolean> checksPassed, String message) {

  public static MigrationLine of(DataMigration m) {
    DataMigrationStatus s = m.getStatus() == null ? new DataMigrationStatus() : m.getStatus();
    MigrationPhase phase = s.getPhase();
    String reason = phase == MigrationPhase.Paused ? s.getPauseReason()
        : phase == MigrationPhase.Failed || phase == MigrationPhase.RolledBack
            || phase == MigrationPhase.RollingBack ? s.getFailureReason() : null;
    StringBuilder stages = new StringBuilder();
    for (StageProgress p : s.getStages() == null ? List.<StageProgress>of() : s.getStages()) {
      stages.append(stages.length() == 0 ? "" : " ").append(p.getName()).append(symbol(p));
    }
    List<String> checks = new ArrayList<>();
    List<Boolean> passed = new ArrayList<>();
    boolean guarding = phase == MigrationPhase.Guarding || (s.getStages() == null || s.getStages().isEmpty());
    if (guarding && s.getGuards() != null) {
      for (GuardStatus g : s.getGuards()) {
        if (g.getResult() != null) {
          boolean ok = g.getResult() == CheckResult.Pass;
          checks.add(g.getName() + " " + g.getObserved() + (ok ? " " : " wanted ") + g.getExpected());
          passed.add(ok ? Boolean.TRUE : g.getResult() == CheckResult.Fail ? Boolean.FALSE : null);
        }
      }
    }
    List<VerifyStatus> verify = s.getRollback() != null && s.getRollback().getChecks() != null
        && !s.getRollback().getChecks().isEmpty() ? s.getRollback().getChecks() : s.getVerify();
    if (!guarding && verify != null) {
      for (VerifyStatus v : verify) {
        if (v.getResult() != null) {
          checks.add(verifyText(v));
          passed.add(v.getResult() == CheckResult.Pass ? Boolean.TRUE
              : v.getResult() == CheckResult.Fail ? Boolean.FALSE : null);
        }
      }
    }
    boolean showMessage = phase == MigrationPhase.Failed || phase == MigrationPhase.RolledBack
        || phase == MigrationPhase.Paused || phase == MigrationPhase.RollingBack;
    return new MigrationLine(phase == null ? "Pending" : phase.name(), reason, s.getCurrentStage(),
        s.getRowsMigrated(), s.getRowsTotal(), stages.toString(), List.copyOf(checks), passed,
        showMessage ? s.getMessage() : null);
  }

  /** Missing + extra + changed rows of the latest compare evaluation; null when no compare has run. */
  public static Long mismatches(DataMigration m) {
    if (m.getStatus() == null || m.getStatus().getVerify() == null) {
      return null;
    }
    Long total = null;
    for (VerifyStatus v : m.getStatus().getVerify()) {
      if (v.getMissing() != null || v.getExtra() != null || v.getChanged() != null) {
        total = (total == null ? 0 : total) + n(v.getMissing()) + n(v.getExtra()) + n(v.getChanged());
      }
    }
    return total;
  }

  private static String verifyText(VerifyStatus v) {
    String where = "rollback".equals(v.getStage()) ? " (target after undo)" : "";
    if (v.getMissing() != null || v.getExtra() != null || v.getChanged() != null) {
      long bad = n(v.getMissing()) + n(v.getExtra()) + n(v.getChanged());
      String rows = v.getTargetRows() == null ? "" : String.format(Locale.ROOT, "%,d rows", v.getTargetRows());
      return v.getName() + where + " " + rows + (bad == 0 ? ", 0 mismatches"
          : String.format(Locale.ROOT, ": %,d missing, %,d extra, %,d changed", n(v.getMissing()), n(v.getExtra()),
              n(v.getChanged())));
    }
    if (v.getValue() != null) {
      return v.getName() + where + " " + ReleaseLine.shortNumber(v.getValue());
    }
    return v.getName() + where + " " + v.getResult();
  }

  private static String symbol(StageProgress p) {
    if (p.getState() == null) {
      return "·";
    }
    return switch (p.getState()) {
      case Pending -> "·";
      case Running -> "▸";
      case Loaded -> "▪";
      case Verified -> "✓";
      case Failed -> "✗";
      case Undone -> "↺";
    };
  }

  private static long n(Long v) {
    return v == null ? 0 : v;
  }

  public String key() {
    return render(new Terminal(null, false));
  }

  public String render(Terminal t) {
    StringBuilder b = new StringBuilder();
    String phaseText = ReleaseLine.pad(phase + (reason == null ? "" : "/" + reason), 20);
    b.append(switch (phase) {
      case "Succeeded" -> t.green(phaseText);
      case "Failed", "RolledBack", "RollingBack" -> t.red(phaseText);
      case "Paused" -> t.yellow(phaseText);
      default -> t.cyan(phaseText);
    }).append(' ');
    b.append(ReleaseLine.pad(stage == null ? "-" : stage, 6)).append(' ');
    long done = rowsMigrated == null ? 0 : rowsMigrated;
    if (rowsTotal != null && rowsTotal > 0) {
      b.append(ProgressBar.of(done, rowsTotal, 10)).append(' ')
          .append(ReleaseLine.pad(String.format(Locale.ROOT, "%,d/%,d rows", done, rowsTotal), 20));
    } else {
      b.append(ReleaseLine.pad("", 31));
    }
    if (!stages.isEmpty()) {
      b.append(' ').append(ReleaseLine.pad(stages, 22));
    }
    for (int i = 0; i < checks.size(); i++) {
      Boolean ok = checksPassed.get(i);
      String text = checks.get(i);
      b.append("  ").append(ok == null ? t.yellow(text + " ?") : ok ? t.green(text + " ✓") : t.red(text + " ✗"));
    }
    if (message != null && !message.isBlank()) {
      b.append("  ").append(t.dim("— " + message));
    }
    return b.toString();
  }
}
