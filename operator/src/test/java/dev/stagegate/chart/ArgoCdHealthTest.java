package dev.stagegate.chart;

import dev.stagegate.api.release.ReleaseReasons;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.common.Conditions;
import dev.stagegate.release.plan.ReleasePlanner;
import dev.stagegate.testing.RealComponent;
import dev.stagegate.testing.Releases;
import dev.stagegate.testing.RepoPaths;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * docs/argocd-health.lua run by a real Lua 5.4 (Debian's lua5.4, the language Argo CD's gopher-lua
 * implements for these scripts) on sample objects, the way Argo CD calls it: `obj` set, the script's
 * returned table read.
 */
@Tag("tools")
class ArgoCdHealthTest {
  private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

  @TempDir
  Path dir;

  record Health(String status, String message) {}

  @ParameterizedTest(name = "Release in phase {0} is {1}")
  @CsvSource({
      "Progressing, Progressing",
      "Paused, Suspended",
      "Promoted, Healthy",
      "RolledBack, Degraded",
      "Failed, Degraded"})
  @DisplayName("given a Release's phase, then Argo CD sees the matching health")
  void releasePhases(ReleasePhase phase, String health) throws Exception {
    Release release = release(phase, 3L, 3L);
    assertThat(run(Serialization.asJson(release)).status()).isEqualTo(health);
  }

  @ParameterizedTest(name = "DataMigration in phase {0} is {1}")
  @CsvSource({
      "Pending, Progressing",
      "Guarding, Progressing",
      "BackingUp, Progressing",
      "Migrating, Progressing",
      "Verifying, Progressing",
      "Paused, Suspended",
      "RollingBack, Degraded",
      "Succeeded, Healthy",
      "RolledBack, Degraded",
      "Failed, Degraded"})
  @DisplayName("given a DataMigration's phase (MigrationPhase), then Argo CD sees the matching health")
  void dataMigrationPhases(String phase, String health) throws Exception {
    Map<String, Object> migration = new LinkedHashMap<>();
    migration.put("apiVersion", "stagegate.dev/v1alpha1");
    migration.put("kind", "DataMigration");
    migration.put("metadata", Map.of("name", "orders-v2", "namespace", "billing", "generation", 1));
    migration.put("status", Map.of("phase", phase, "observedGeneration", 1, "message", "stage load-10"));
    assertThat(run(Serialization.asJson(migration)).status()).isEqualTo(health);
  }

  @Test
  @DisplayName("given a Release paused for approval, then the message says why and where")
  void pausedMessage() throws Exception {
    Release release = release(ReleasePhase.Paused, 2L, 2L);
    release.getStatus().setPauseReason(ReleaseReasons.Pause.AwaitingApproval.name());
    release.getStatus().setMessage("paused (AwaitingApproval) at stage canary-50 (2/3)");
    Health health = run(Serialization.asJson(release));
    assertThat(health.status()).isEqualTo("Suspended");
    assertThat(health.message()).isEqualTo("Paused (AwaitingApproval): paused (AwaitingApproval) at stage canary-50 (2/3)");
  }

  @Test
  @DisplayName("given a promoted Release whose spec changed since the operator last wrote status, then it is Progressing, not Healthy")
  void staleStatusIsProgressing() throws Exception {
    Health health = run(Serialization.asJson(release(ReleasePhase.Promoted, 5L, 4L)));
    assertThat(health.status()).isEqualTo("Progressing");
    assertThat(health.message()).contains("generation 5");
  }

  @Test
  @DisplayName("given a Release the operator has not seen yet (no status), then it is Progressing")
  void noStatusYet() throws Exception {
    Release release = Releases.named("checkout", "shop").stage("full", 100, "1m").build();
    assertThat(run(Serialization.asJson(release)).status()).isEqualTo("Progressing");
  }

  private static Release release(ReleasePhase phase, long generation, long observed) {
    Release release = Releases.named("checkout", "shop").stage("canary", 10, "1m").stage("full", 100, "1m").build();
    release.getMetadata().setGeneration(generation);
    ReleaseStatus status = new ReleaseStatus();
    status.setPhase(phase);
    status.setObservedGeneration(observed);
    Conditions state = phase == ReleasePhase.Promoted ? Conditions.ready(phase.name(), "sample")
        : phase == ReleasePhase.RolledBack || phase == ReleasePhase.Failed ? Conditions.stalled(phase.name(), "sample")
        : Conditions.progressing(phase.name(), "sample");
    status.setConditions(state.after(List.of(), observed, NOW));
    status.setMessage("sample");
    release.setStatus(status);
    return release;
  }

  /** Runs the script with `obj` = the object (JSON turned into a Lua table) and returns hs.status and hs.message. */
  private Health run(String objectJson) throws IOException, InterruptedException {
    Path lua = RealComponent.require("lua5.4", RealComponent.executable(Path.of("/usr/bin/lua5.4")),
        "`apt-get install lua5.4` (make test installs it)");
    Path script = RepoPaths.root().resolve("docs/argocd-health.lua");
    Path runner = dir.resolve("runner.lua");
    Files.writeString(runner, "obj = " + LuaTable.of(Serialization.jsonMapper().readValue(objectJson, Object.class))
        + "\nlocal hs = dofile(" + LuaTable.string(script.toString()) + ")\n"
        + "io.write(hs.status, \"\\n\", hs.message or \"\")\n");
    Process p = new ProcessBuilder(lua.toString(), runner.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    String[] lines = out.split("\n", 2);
    return new Health(lines[0], lines.length > 1 ? lines[1] : "");
  }

  /** JSON values as a Lua table constructor, the shape Argo CD hands a health script. */
  static final class LuaTable {
    private LuaTable() {}

    static String of(Object value) {
      if (value == null) {
        return "nil";
      }
      if (value instanceof Map<?, ?> map) {
        StringBuilder s = new StringBuilder("{");
        map.forEach((k, v) -> {
          if (v != null) {
            s.append('[').append(string(k.toString())).append("]=").append(of(v)).append(',');
          }
        });
        return s.append('}').toString();
      }
      if (value instanceof List<?> list) {
        StringBuilder s = new StringBuilder("{");
        list.forEach(v -> s.append(of(v)).append(','));
        return s.append('}').toString();
      }
      if (value instanceof String text) {
        return string(text);
      }
      return value.toString();
    }

    static String string(String text) {
      return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
  }
}
