package dev.stagegate.apiserver;

import dev.stagegate.api.common.ApiGroup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stagegate.api.release.Release;
import dev.stagegate.testing.ApiServerTier;
import dev.stagegate.testing.RepoPaths;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated DataMigration CRD installs on a real API server, accepts examples/datamigration.yaml, and
 * refuses invalid specs itself (OpenAPI constraints and CEL rules) with a message naming the field. What
 * needs the databases (columns, key types, the Secrets) is the operator's (InvalidSpec in status).
 */
@Tag("apiserver")
class DataMigrationSchemaTest {
  private static final String NS = "portal-schema";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourceDefinitionContext MIGRATIONS = new ResourceDefinitionContext.Builder()
      .withGroup(ApiGroup.GROUP).withVersion(ApiGroup.VERSION).withPlural("datamigrations").withKind("DataMigration")
      .withNamespaced(true).build();
  @RegisterExtension
  static final ApiServerTier apiServer = ApiServerTier.withCrds().withNamespace(NS);
  private static int counter;

  /** The committed example as a JSON tree, so a case can break it in ways the Java model cannot express. */
  private static ObjectNode example() {
    try {
      Object yaml = Serialization.unmarshal(Files.readString(RepoPaths.root().resolve("examples/datamigration.yaml")),
          GenericKubernetesResource.class);
      ObjectNode tree = JSON.valueToTree(yaml);
      ((ObjectNode) tree.get("metadata")).put("namespace", NS);
      return tree;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode spec(ObjectNode m) {
    return (ObjectNode) m.get("spec");
  }

  private static ObjectNode at(ObjectNode m, String list, int i) {
    return (ObjectNode) spec(m).get(list).get(i);
  }

  private static ObjectNode compare(ObjectNode m) {
    return (ObjectNode) at(m, "verify", 0).get("compare");
  }

  private static Arguments reject(String why, String field, Consumer<ObjectNode> breakIt) {
    return Arguments.of(why, field, breakIt);
  }

  static Stream<Arguments> invalidMigrations() {
    return Stream.of(
        reject("no stages", "spec.stages", m -> spec(m).putArray("stages")),
        reject("percent 0", "spec.stages[0].percent", m -> at(m, "stages", 0).put("percent", 0)),
        reject("percents not increasing", "spec.stages", m -> at(m, "stages", 1).put("percent", 1)),
        reject("last stage below 100", "spec.stages", m -> ((ArrayNode) spec(m).get("stages")).remove(2)),
        reject("duplicate stage names", "spec.stages", m -> at(m, "stages", 1).put("name", "pilot")),
        reject("stage name not a DNS label", "spec.stages[0].name", m -> at(m, "stages", 0).put("name", "Pilot_1")),
        reject("missing worker", "spec.worker", m -> spec(m).remove("worker")),
        reject("no undo with onFailure: Rollback", "spec.undo", m -> spec(m).remove("undo")),
        reject("secretRef without a name", "spec.source.secretRef.name",
            m -> ((ObjectNode) spec(m).get("source").get("secretRef")).remove("name")),
        reject("partition key with SQL in it", "spec.partition.key",
            m -> ((ObjectNode) spec(m).get("partition")).put("key", "member_id; drop table members")),
        reject("guard with equals and max", "spec.guards[0].sql",
            m -> ((ObjectNode) at(m, "guards", 0).get("sql")).put("max", 1)),
        reject("guard without expectation", "spec.guards[1].sql",
            m -> ((ObjectNode) at(m, "guards", 1).get("sql")).remove("max")),
        reject("guard on a third database", "spec.guards[0].sql.on",
            m -> ((ObjectNode) at(m, "guards", 0).get("sql")).put("on", "staging")),
        reject("duplicate guard names", "spec.guards", m -> at(m, "guards", 1).put("name", "source-is-production")),
        reject("compare and prometheus in one check", "spec.verify[0]",
            m -> at(m, "verify", 0).putObject("prometheus").put("query", "up").put("max", 1)),
        reject("compare without columns", "spec.verify[0].compare.columns", m -> compare(m).putArray("columns")),
        reject("compare table with a quote", "spec.verify[0].compare.source.table",
            m -> ((ObjectNode) compare(m).get("source")).put("table", "members\"; --")),
        reject("negative maxMismatches", "spec.verify[0].compare.maxMismatches", m -> compare(m).put("maxMismatches", -1)),
        reject("prometheus check without a bound", "spec.verify[1].prometheus",
            m -> ((ObjectNode) at(m, "verify", 1).get("prometheus")).remove("max")),
        reject("failureLimit 0", "spec.verify[1].failureLimit", m -> at(m, "verify", 1).put("failureLimit", 0)),
        reject("interval in words", "spec.verify[1].interval", m -> at(m, "verify", 1).put("interval", "30 seconds")),
        reject("interval 0s", "spec.verify[1].interval", m -> at(m, "verify", 1).put("interval", "0s")),
        reject("guard timeout 0s", "spec.guards[0].sql.timeout",
            m -> ((ObjectNode) at(m, "guards", 0).get("sql")).put("timeout", "0s")),
        reject("compare timeout 48h", "spec.verify[0].compare.timeout", m -> compare(m).put("timeout", "48h")),
        reject("unknown failure policy", "spec.onFailure", m -> spec(m).put("onFailure", "Explode")));
  }

  @ParameterizedTest(name = "{0} -> refused naming {1}")
  @MethodSource("invalidMigrations")
  @DisplayName("given an invalid DataMigration, when it is created, then the API server refuses it with a message naming the field")
  void apiServerRefusesInvalidMigrations(String why, String field, Consumer<ObjectNode> breakIt) {
    ObjectNode migration = example();
    ((ObjectNode) migration.get("metadata")).put("name", "invalid-" + (++counter));
    breakIt.accept(migration);
    GenericKubernetesResource resource = JSON.convertValue(migration, GenericKubernetesResource.class);

    assertThatThrownBy(() -> apiServer.client().genericKubernetesResources(MIGRATIONS).inNamespace(NS).resource(resource).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).as(why).isEqualTo(422);
          assertThat(e.getMessage()).as(why).contains(field);
        });
  }

  @Test
  @DisplayName("given examples/datamigration.yaml, when it is created, then the API server accepts it (the cases fail only for what they break)")
  void theExampleIsValid() {
    GenericKubernetesResource created = apiServer.client().genericKubernetesResources(MIGRATIONS).inNamespace(NS)
        .resource(JSON.convertValue(example(), GenericKubernetesResource.class)).createOr(r -> r.update());
    assertThat(created.getMetadata().getUid()).isNotBlank();
    assertThat(created.getAdditionalProperties().get("spec").toString()).contains("onFailure=Rollback");
  }
}
