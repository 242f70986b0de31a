package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.Partition;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.migration.plan.JobChange;
import dev.stagegate.migration.plan.JobKind;
import dev.stagegate.migration.plan.KeySpan;
import dev.stagegate.testing.DataMigrations;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a stage's Job gets for its keys: integer keys as before, typed keys as text, parallel stages as an Indexed Job. */
class StageKeyJobsTest {

  private static DataMigration migration(Partition partition, StageProgress... stages) {
    DataMigration m = DataMigrations.named("members", "portal").stage("pilot", 10).stage("full", 100).build();
    m.getMetadata().setUid("0123456789");
    m.getSpec().setPartition(partition);
    DataMigrationStatus status = new DataMigrationStatus();
    status.setStages(List.of(stages));
    status.setRunId("01234567-1");
    m.setStatus(status);
    return m;
  }

  private static StageProgress typed(String name, String from, String to, List<String> parts) {
    StageProgress s = new StageProgress(name, 10, 0, 0, 100);
    s.setKeyFrom(null);
    s.setKeyTo(null);
    s.setFromKey(from);
    s.setToKey(to);
    s.setParts(parts);
    return s;
  }

  private static Map<String, String> env(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  @Test
  @DisplayName("given an integer key, then the Job gets STAGEGATE_KEY_FROM/TO as numbers and nothing new: one pod")
  void integerKeysUnchanged() {
    DataMigration m = migration(new Partition("members", "member_id"), new StageProgress("pilot", 10, 1, 501, 500));

    Job job = MigrationJobs.build(m, new JobChange.Create(JobKind.LOAD, 0, "members-pilot-load"));

    assertThat(env(job)).containsEntry("STAGEGATE_KEY_FROM", "1").containsEntry("STAGEGATE_KEY_TO", "501")
        .doesNotContainKeys("STAGEGATE_KEY_COLUMNS", "STAGEGATE_KEY_TO_OPEN", "STAGEGATE_PARTS");
    assertThat(job.getSpec().getCompletionMode()).isNull();
    assertThat(job.getSpec().getCompletions()).isNull();
  }

  @Test
  @DisplayName("given a composite key's open last stage, then the bounds are JSON arrays, KEY_TO is empty and KEY_TO_OPEN true")
  void compositeOpenStage() {
    Partition p = new Partition("members", "country");
    p.setThenBy(List.of("member_no"));
    DataMigration m = migration(p, typed("pilot", "[\"AT\",1]", "[\"NL\",5]", null), typed("full", "[\"NL\",5]", null, null));

    Map<String, String> env = env(MigrationJobs.build(m, new JobChange.Create(JobKind.LOAD, 1, "members-full-load")));

    assertThat(env).containsEntry("STAGEGATE_KEY_FROM", "[\"NL\",5]").containsEntry("STAGEGATE_KEY_TO", "")
        .containsEntry("STAGEGATE_KEY_TO_OPEN", "true").containsEntry("STAGEGATE_KEY_COLUMNS", "country,member_no");
  }

  @Test
  @DisplayName("given a parallel text stage whose keys hold quotes and backslashes, then its load is an Indexed Job of parts + 1 pods whose bounds are one JSON array, and its undo is one pod")
  void parallelStageIsAnIndexedJob() throws Exception {
    Partition p = new Partition("members", "member_no");
    DataMigration m = migration(p, typed("pilot", "M-1", "n-1", null), typed("full", "n-1", null, List.of("x'y\\\"-2", "z-3")));

    Job load = MigrationJobs.build(m, new JobChange.Create(JobKind.LOAD, 1, "members-full-load"));
    Job undo = MigrationJobs.build(m, new JobChange.Create(JobKind.UNDO, 1, "members-full-undo"));

    assertThat(load.getSpec().getCompletionMode()).isEqualTo("Indexed");
    assertThat(load.getSpec().getCompletions()).isEqualTo(3);
    assertThat(load.getSpec().getParallelism()).isEqualTo(3);
    assertThat(env(load)).containsEntry("STAGEGATE_PARTS", "3");
    assertThat(new ObjectMapper().readValue(env(load).get("STAGEGATE_PART_BOUNDS"), List.class))
        .containsExactly("n-1", "x'y\\\"-2", "z-3", null);
    assertThat(undo.getSpec().getCompletionMode()).isNull();
    assertThat(env(undo)).doesNotContainKey("STAGEGATE_PART_BOUNDS");
  }

  @Test
  @DisplayName("given a parallel stage among plain ones, then a verify span is cut at every stage start and part start; without one it is not cut")
  void verifyCuts() {
    StageProgress pilot = new StageProgress("pilot", 10, 1, 101, 100);
    StageProgress full = new StageProgress("full", 100, 101, 1001, 900);

    assertThat(KeySpan.upTo(List.of(pilot, full), full).cuts()).isEmpty();

    full.setParts(List.of("401", "701"));
    KeySpan span = KeySpan.upTo(List.of(pilot, full), full);
    assertThat(span.describe()).isEqualTo("[1, 1001)");
    assertThat(span.cuts()).containsExactly("101", "401", "701");
    assertThat(KeySpan.upTo(List.of(pilot, full), pilot).cuts()).isEmpty();
  }
}
