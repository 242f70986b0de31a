package dev.stagegate.migration;

import dev.stagegate.migration.plan.MigrationValidator;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.Approval;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.common.FailurePolicy;
import dev.stagegate.testing.RepoPaths;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ExampleDataMigrationTest {

  @Test
  @DisplayName("given examples/datamigration.yaml, then it reads into the model as the issue's members-2025 and the operator's validation accepts it")
  void exampleMatchesTheContract() throws IOException {
    DataMigration example = Serialization.unmarshal(
        Files.readString(RepoPaths.root().resolve("examples/datamigration.yaml")), DataMigration.class);

    assertThat(MigrationValidator.validate(example)).isEmpty();
    var spec = example.getSpec();
    assertThat(example.getMetadata().getName()).isEqualTo("members-2025");
    assertThat(spec.getSource().getSecretRef().getName()).isEqualTo("legacy-members-db");
    assertThat(spec.getTarget().getSecretRef().getName()).isEqualTo("portal-db");
    assertThat(spec.getPartition().getTable() + "." + spec.getPartition().getKey()).isEqualTo("members.member_id");
    assertThat(spec.getStages()).extracting(s -> s.getName() + " " + s.getPercent() + " " + s.needsApproval())
        .containsExactly("pilot 1 false", "ramp 10 true", "full 100 false");
    assertThat(spec.getStages().get(1).getApproval()).isEqualTo(Approval.Manual);
    assertThat(spec.getGuards()).extracting(g -> g.getName()).containsExactly("source-is-production", "no-test-fixtures");
    assertThat(spec.getVerify()).extracting(v -> v.getName()).containsExactly("members-match", "loader-errors");
    assertThat(spec.getVerify().get(0).getCompare().getColumns())
        .containsExactly("member_id", "full_name", "email", "plan_code", "enrolled_on");
    assertThat(spec.getWorker().getBackoffLimit()).isEqualTo(2);
    assertThat(spec.getUndo()).isNotNull();
    assertThat(spec.getBackup()).isNotNull();
    assertThat(spec.failurePolicy()).isEqualTo(FailurePolicy.Rollback);
  }

  @Test
  @DisplayName("given examples/datamigration-typed-keys.yaml, then it reads as a composite (country, member_no) key with the Binary collation and a parallel full stage, and the operator's validation accepts it")
  void typedKeyExample() throws IOException {
    DataMigration example = Serialization.unmarshal(
        Files.readString(RepoPaths.root().resolve("examples/datamigration-typed-keys.yaml")), DataMigration.class);

    assertThat(MigrationValidator.validate(example)).isEmpty();
    var spec = example.getSpec();
    assertThat(spec.getPartition().keyColumns()).containsExactly("country", "member_no");
    assertThat(spec.getPartition().getCollation()).isEqualTo(dev.stagegate.api.migration.KeyCollation.Binary);
    assertThat(spec.getStages()).extracting(s -> s.getName() + " " + s.parallelismOrOne()).containsExactly("pilot 1", "full 8");
    assertThat(spec.getVerify().get(0).getCompare().keyColumns()).containsExactly("country", "member_no");
    assertThat(spec.getVerify().get(0).getCompare().maxConnectionsOrDefault()).isEqualTo(4);
  }
}
