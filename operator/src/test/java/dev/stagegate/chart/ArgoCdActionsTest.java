package dev.stagegate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.chart.ArgoCdHealthTest.LuaTable;
import dev.stagegate.common.ActionWord;
import dev.stagegate.kube.ActionAnnotation;
import dev.stagegate.migration.plan.MigrationAction;
import dev.stagegate.release.plan.UserAction;
import dev.stagegate.testing.RealComponent;
import dev.stagegate.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Argo CD resource actions in docs/argocd-actions run by a real Lua 5.4, the way Argo CD runs them:
 * `obj` set, discovery.lua's table of actions read, an action script's returned object read. What they
 * write must be a word the operator's own action enums accept.
 */
@Tag("tools")
class ArgoCdActionsTest {
  @TempDir
  Path dir;

  record Lua(int exit, String out) {}

  @ParameterizedTest(name = "{0} {1} ({2}) offers {3}")
  @CsvSource(delimiter = '|', value = {
      "Release       | Progressing |                  | abort promote",
      "Release       | Paused      | AwaitingApproval | abort promote",
      "Release       | Paused      | CheckFailed      | abort promote retry",
      "Release       | RolledBack  |                  | retry",
      "Release       | Promoted    |                  | ''",
      "DataMigration | Migrating   |                  | abort",
      "DataMigration | Paused      | AwaitingApproval | abort approve",
      "DataMigration | Paused      | WorkerFailed     | abort retry",
      "DataMigration | Paused      | VerifyFailed     | abort retry",
      "DataMigration | RollingBack |                  | ''",
      "DataMigration | Succeeded   |                  | ''"})
  @DisplayName("given a kind, phase and pause reason, then discovery enables exactly the actions the operator would apply")
  void discovery(String kind, String phase, String pauseReason, String enabled) throws Exception {
    Lua lua = run(object(kind, phase, pauseReason, 1L), "discovery.lua", """
        local names = {}
        for name, a in pairs(result) do if not a.disabled then names[#names + 1] = name end end
        table.sort(names)
        io.write(table.concat(names, " "))
        """);
    assertThat(lua.exit()).as(lua.out()).isZero();
    assertThat(lua.out()).isEqualTo(enabled);
  }

  @Test
  @DisplayName("given a Release whose spec changed since the operator's last status, then discovery offers nothing yet")
  void staleStatusOffersNothing() throws Exception {
    Lua lua = run(object("Release", "Paused", "CheckFailed", 2L), "discovery.lua", """
        local n = 0
        for name, a in pairs(result) do n = n + 1; if not a.disabled then io.write(name, " ") end end
        io.write(n)
        """);
    assertThat(lua.out()).isEqualTo("3");
  }

  @ParameterizedTest(name = "{1} on a {0} writes {2}")
  @CsvSource({"Release, promote.lua, promote", "Release, abort.lua, abort", "Release, retry.lua, retry",
      "DataMigration, approve.lua, approve", "DataMigration, abort.lua, abort", "DataMigration, retry.lua, retry-stage"})
  @DisplayName("given an action script, then the returned object carries the operator's word and keeps everything else")
  void actions(String kind, String script, String word) throws Exception {
    Map<String, Object> object = object(kind, "Paused", "CheckFailed", 1L);
    ((Map<String, Object>) object.get("metadata")).put("annotations", Map.of("team", "payments"));
    Lua lua = run(object, script, """
        io.write(result.metadata.annotations["%s"], " ", result.metadata.annotations.team, " ",
          result.metadata.name, " ", result.status.phase)
        """.formatted(ActionAnnotation.NAME));
    assertThat(lua.exit()).as(lua.out()).isZero();
    assertThat(lua.out()).isEqualTo(word + " payments orders-v2 Paused");
    boolean known = kind.equals("Release") ? ActionWord.parse(UserAction.class, word).isPresent()
        : ActionWord.parse(MigrationAction.class, word).isPresent();
    assertThat(known).as("`%s` is a word the operator knows for a %s", word, kind).isTrue();
  }

  @Test
  @DisplayName("given an object without annotations, then the action adds the map rather than failing")
  void noAnnotationsYet() throws Exception {
    Lua lua = run(object("Release", "Progressing", null, 1L), "abort.lua",
        "io.write(result.metadata.annotations[\"" + ActionAnnotation.NAME + "\"])");
    assertThat(lua.out()).isEqualTo("abort");
  }

  @ParameterizedTest(name = "{1} on a {0} is refused")
  @CsvSource({"DataMigration, promote.lua, approve", "Release, approve.lua, promote"})
  @DisplayName("given an action for the other kind, then the script fails with what to use instead")
  void wrongKind(String kind, String script, String instead) throws Exception {
    Lua lua = run(object(kind, "Paused", "AwaitingApproval", 1L), script, "io.write('applied')");
    assertThat(lua.exit()).isNotZero();
    assertThat(lua.out()).contains(instead).doesNotContain("applied");
  }

  private static Map<String, Object> object(String kind, String phase, String pauseReason, long generation) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("phase", phase);
    if (pauseReason != null) {
      status.put("pauseReason", pauseReason);
    }
    status.put("observedGeneration", 1);
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", "stagegate.dev/v1alpha1");
    object.put("kind", kind);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", "orders-v2");
    metadata.put("namespace", "billing");
    metadata.put("generation", generation);
    object.put("metadata", metadata);
    object.put("status", status);
    return object;
  }

  /** Runs docs/argocd-actions/SCRIPT with `obj` set, then `check` with the script's result in `result`. */
  private Lua run(Map<String, Object> object, String script, String check) throws IOException, InterruptedException {
    Path lua = RealComponent.require("lua5.4", RealComponent.executable(Path.of("/usr/bin/lua5.4")),
        "`apt-get install lua5.4` (make test installs it)");
    Path file = RepoPaths.root().resolve("docs/argocd-actions").resolve(script);
    Path runner = dir.resolve("runner.lua");
    Files.writeString(runner, "obj = " + LuaTable.of(object) + "\n"
        + "result = dofile(" + LuaTable.string(file.toString()) + ")\n" + check);
    Process p = new ProcessBuilder(lua.toString(), runner.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Lua(p.exitValue(), out);
  }
}
