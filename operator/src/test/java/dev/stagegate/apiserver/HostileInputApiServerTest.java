package dev.stagegate.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stagegate.OperatorSettings;
import dev.stagegate.api.common.ApiGroup;
import dev.stagegate.testing.GatedMetrics;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.RealApiServer;
import dev.stagegate.testing.RepoPaths;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input on the real API server with the real operator running (issue 16, item 4). Every row is an
 * invalid or adversarial Release or DataMigration with its expected outcome:
 * <ul>
 *   <li>REFUSED: the API server refuses it at create (schema, CEL or its own limits), naming the field;</li>
 *   <li>INVALID: the API server takes it, the operator marks it InvalidSpec naming the field;</li>
 *   <li>HELD: the API server takes it, the operator holds it with the documented reason (a missing Secret).</li>
 * </ul>
 * Whatever the outcome, nothing is deployed in the namespace (no Deployment, no Job), no credential shows up
 * in status or Events, and once settled each resource is written at most a few times in a fixed window
 * (a hot loop wrote several times per second). All accepted rows are created at once and share one operator,
 * so the class costs one operator start and one settling window.
 */
@Tag("apiserver")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputApiServerTest {
  private static final String NS = "hostile";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A password that must never be repeated by the operator. */
  private static final String PASSWORD = "hunter2-do-not-echo";
  /** Window in which settled resources are watched for writes. */
  private static final Duration WINDOW = Duration.ofSeconds(5);
  /** At most this many writes per resource in the window (a loop wrote dozens). */
  private static final int MAX_WRITES_IN_WINDOW = 2;
  private static final ResourceDefinitionContext RELEASES = context("releases", "Release");
  private static final ResourceDefinitionContext MIGRATIONS = context("datamigrations", "DataMigration");

  private static KubernetesClient client;
  private static OperatorHarness harness;

  enum Outcome { REFUSED, INVALID, HELD }

  /** One row of the table: what is broken, what must happen, and which field the answer names. */
  record Row(String why, ResourceDefinitionContext kind, Outcome outcome, String field, Consumer<ObjectNode> breakIt) {
    @Override
    public String toString() {
      return kind.getKind() + ": " + why + " -> " + outcome + " naming " + field;
    }
  }

  private static final List<Row> ROWS = new ArrayList<>();

  private static void release(String why, Outcome outcome, String field, Consumer<ObjectNode> breakIt) {
    ROWS.add(new Row(why, RELEASES, outcome, field, breakIt));
  }

  private static void migration(String why, Outcome outcome, String field, Consumer<ObjectNode> breakIt) {
    ROWS.add(new Row(why, MIGRATIONS, outcome, field, breakIt));
  }

  static {
    // ---- Releases the API server refuses
    release("21 stages, over the maximum of 20", Outcome.REFUSED, "spec.stages", r -> {
      ArrayNode stages = spec(r).putArray("stages");
      for (int i = 1; i <= 21; i++) {
        stages.addObject().put("name", "s" + i).put("weight", Math.min(100, i * 5)).put("duration", "1m");
      }
    });
    release("21 checks, over the maximum of 20", Outcome.REFUSED, "spec.checks", r -> {
      ArrayNode checks = spec(r).putArray("checks");
      for (int i = 1; i <= 21; i++) {
        checks.addObject().put("name", "c" + i).put("max", 1).putObject("prometheus").put("query", "up");
      }
    });
    release("stage duration -5m", Outcome.REFUSED, "spec.stages[0].duration", r -> stage(r, 0).put("duration", "-5m"));
    release("progressDeadline 9999999h", Outcome.REFUSED, "spec.progressDeadline",
        r -> spec(r).put("progressDeadline", "9999999h"));
    release("query timeout 9999999h", Outcome.REFUSED, "spec.checks[0].prometheus.timeout",
        r -> ((ObjectNode) check(r).get("prometheus")).put("timeout", "9999999h"));
    release("check interval -5m", Outcome.REFUSED, "spec.checks[0].interval", r -> check(r).put("interval", "-5m"));
    release("NUL and newline in the name", Outcome.REFUSED, "metadata.name", r -> meta(r).put("name", "web\u0000\nx"));
    release("quotes and SQL in the name", Outcome.REFUSED, "metadata.name",
        r -> meta(r).put("name", "web\"; drop table releases; --"));
    release("newline in a stage name", Outcome.REFUSED, "spec.stages[0].name", r -> stage(r, 0).put("name", "canary\n10"));
    release("duplicate check names", Outcome.REFUSED, "spec.checks", r -> {
      ObjectNode copy = check(r).deepCopy();
      ((ArrayNode) spec(r).get("checks")).add(copy);
    });
    release("weight 1000", Outcome.REFUSED, "spec.stages[2].weight", r -> stage(r, 2).put("weight", 1000));
    release("weight -5", Outcome.REFUSED, "spec.stages[0].weight", r -> stage(r, 0).put("weight", -5));
    release("negative replicas", Outcome.REFUSED, "spec.replicas", r -> spec(r).put("replicas", -3));
    release("replicas beyond int32", Outcome.REFUSED, "spec.replicas", r -> spec(r).put("replicas", 4_294_967_296L));
    release("maxSurge 10000%", Outcome.REFUSED, "spec.maxSurge", r -> spec(r).put("maxSurge", "10000%"));
    release("notify type smtp", Outcome.REFUSED, "spec.notify[0].type", r -> notify(r).put("type", "smtp"));
    release("notify Secret key with a slash", Outcome.REFUSED, "spec.notify[0].urlFrom.secretKeyRef.key",
        r -> ((ObjectNode) notify(r).get("urlFrom").get("secretKeyRef")).put("key", "../token"));
    release("duplicate notify names", Outcome.REFUSED, "spec.notify", r -> {
      notify(r);
      ((ArrayNode) spec(r).get("notify")).add(spec(r).get("notify").get(0).deepCopy());
    });
    release("gate on stage 25", Outcome.REFUSED, "spec.gates[0].stage", r -> gate(r, "dataMigration").put("stage", 25));
    release("gate until phase Failed", Outcome.REFUSED, "spec.gates[0].until",
        r -> gate(r, "dataMigration").putObject("until").put("phase", "Failed"));
    release("templateRef name with braces and quotes", Outcome.REFUSED, "spec.checks[1].templateRef.name",
        r -> ((ArrayNode) spec(r).get("checks")).addObject().putObject("templateRef").put("name", "{{x}}\"'"));
    release("21 template args, over the maximum of 20", Outcome.REFUSED, "spec.checks[1].args", r -> {
      ObjectNode c = ((ArrayNode) spec(r).get("checks")).addObject();
      c.putObject("templateRef").put("name", "error-rate");
      ObjectNode args = c.putObject("args");
      for (int i = 0; i < 21; i++) {
        args.put("a" + i, "v");
      }
    });
    release("Prometheus URL file:///etc/passwd", Outcome.REFUSED, "spec.prometheus.url",
        r -> spec(r).putObject("prometheus").put("url", "file:///etc/passwd"));
    release("Prometheus Secret name with ../", Outcome.REFUSED, "spec.prometheus.secretRef.name",
        r -> spec(r).putObject("prometheus").putObject("secretRef").put("name", "../token"));
    // ---- Releases the API server takes and the operator marks InvalidSpec
    release("Prometheus URL without a host (http://:9090)", Outcome.INVALID, "spec.prometheus.url",
        r -> spec(r).putObject("prometheus").put("url", "http://:9090"));
    release("Prometheus URL with a trailing space", Outcome.INVALID, "spec.prometheus.url",
        r -> spec(r).putObject("prometheus").put("url", "http://prometheus:9090 "));
    release("Prometheus URL with credentials", Outcome.INVALID, "spec.prometheus.url",
        r -> spec(r).putObject("prometheus").put("url", "http://admin:" + PASSWORD + "@prometheus:9090"));
    release("Prometheus URL with a query string", Outcome.INVALID, "spec.prometheus.url",
        r -> spec(r).putObject("prometheus").put("url", "http://prometheus:9090/?query=up"));
    release("Prometheus Secret in another namespace", Outcome.INVALID, "spec.prometheus.secretRef.namespace",
        r -> spec(r).putObject("prometheus").put("url", "http://prometheus:9090").putObject("secretRef")
            .put("name", "prom-token").put("namespace", "kube-system"));
    release("selector with matchExpressions", Outcome.INVALID, "spec.selector.matchExpressions",
        r -> ((ObjectNode) spec(r).get("selector")).putArray("matchExpressions").addObject()
            .put("key", "app").put("operator", "Exists"));
    release("selector not matching the template's labels", Outcome.INVALID, "spec.selector.matchLabels",
        r -> ((ObjectNode) spec(r).get("selector").get("matchLabels")).put("tier", "front"));
    release("braces, quotes and a newline in label values", Outcome.INVALID, "spec.template", r -> {
      String value = "{{revision}}\"'\n}";
      ((ObjectNode) spec(r).get("selector").get("matchLabels")).put("app", value);
      ((ObjectNode) spec(r).get("template").get("metadata").get("labels")).put("app", value);
    });
    release("control character in the container name", Outcome.INVALID, "spec.template",
        r -> ((ObjectNode) spec(r).get("template").get("spec").get("containers").get(0)).put("name", "app\u0007"));
    // The name is the stagegate.dev/release label value of its Deployments: the validator refuses it by name.
    release("name of 70 characters, too long for a label value", Outcome.INVALID, "metadata.name",
        r -> meta(r).put("name", "a".repeat(70)));
    release("header match without trafficRouting", Outcome.INVALID, "spec.stages[0].match",
        r -> stage(r, 0).putObject("match").putArray("headers").addObject().put("name", "x-canary").put("value", "1"));
    release("gate on a stage the Release does not have", Outcome.INVALID, "spec.gates[0]",
        r -> gate(r, "dataMigration").put("stage", 7));
    release("sequential check on rate(), not a counter", Outcome.INVALID, "spec.checks[0].sequential.errors", r -> {
      check(r).remove("prometheus");
      check(r).remove("max");
      check(r).putObject("sequential").put("errors", "sum(rate(http_errors_total[5m]))")
          .put("requests", "sum(http_requests_total)");
    });

    // ---- DataMigrations the API server refuses
    migration("21 stages, over the maximum of 20", Outcome.REFUSED, "spec.stages", m -> {
      ArrayNode stages = spec(m).putArray("stages");
      for (int i = 1; i <= 21; i++) {
        stages.addObject().put("name", "s" + i).put("percent", Math.min(100, i * 5));
      }
    });
    migration("percent 101", Outcome.REFUSED, "spec.stages[2].percent", m -> at(m, "stages", 2).put("percent", 101));
    migration("percent -5", Outcome.REFUSED, "spec.stages[0].percent", m -> at(m, "stages", 0).put("percent", -5));
    migration("guard timeout -5m", Outcome.REFUSED, "spec.guards[0].sql.timeout",
        m -> guardSql(m).put("timeout", "-5m"));
    migration("guard timeout 9999999h", Outcome.REFUSED, "spec.guards[0].sql.timeout",
        m -> guardSql(m).put("timeout", "9999999h"));
    migration("guard query of only whitespace and control characters", Outcome.REFUSED, "spec.guards[0].sql.query",
        m -> guardSql(m).put("query", " \n\t\r "));
    migration("partition table with SQL in it", Outcome.REFUSED, "spec.partition.table",
        m -> ((ObjectNode) spec(m).get("partition")).put("table", "members; drop table members"));
    migration("worker backoffLimit -1", Outcome.REFUSED, "spec.worker.backoffLimit",
        m -> ((ObjectNode) spec(m).get("worker")).put("backoffLimit", -1));
    migration("gate until phase Failed", Outcome.REFUSED, "spec.gates[0].until",
        m -> gate(m, "release").putObject("until").put("phase", "Failed"));
    migration("name of 300 characters", Outcome.REFUSED, "metadata.name", m -> meta(m).put("name", "m".repeat(300)));
    // ---- DataMigrations the API server takes: InvalidSpec or the documented hold
    migration("compare column with a quote", Outcome.INVALID, "spec.verify[0].compare.columns[0]",
        m -> ((ArrayNode) ((ObjectNode) at(m, "verify", 0).get("compare")).get("columns")).set(0, "email\" --"));
    migration("two statements in a guard", Outcome.INVALID, "spec.guards[0].sql.query",
        m -> guardSql(m).put("query", "select current_database(); drop table members"));
    migration("second statement hidden behind a comment in a guard", Outcome.INVALID, "spec.guards[1].sql.query",
        m -> ((ObjectNode) at(m, "guards", 1).get("sql"))
            .put("query", "select count(*) from members /* ; */ ; delete from members"));
    migration("source Secret in another namespace", Outcome.INVALID, "spec.source.secretRef.namespace",
        m -> ((ObjectNode) spec(m).get("source").get("secretRef")).put("namespace", "kube-system"));
    migration("Prometheus URL with credentials", Outcome.INVALID, "spec.prometheus.url",
        m -> spec(m).putObject("prometheus").put("url", "http://admin:" + PASSWORD + "@prometheus:9090"));
    migration("worker restartPolicy Always", Outcome.INVALID, "spec.worker.template.spec.restartPolicy",
        m -> ((ObjectNode) spec(m).get("worker").get("template").get("spec")).put("restartPolicy", "Always"));
    migration("gate on a stage the migration does not have", Outcome.INVALID, "spec.gates[0]",
        m -> gate(m, "release").put("stage", 9));
    migration("target Secret without the jdbcUrl key", Outcome.INVALID, "spec.target.secretRef",
        m -> secrets(m, "hostile-source-db", "hostile-no-url-db"));
    migration("jdbcUrl of an engine that is not supported", Outcome.INVALID, "spec.source.secretRef",
        m -> secrets(m, "hostile-sqlite-db", "hostile-target-db"));
    migration("source Secret that does not exist", Outcome.HELD, "spec.source.secretRef",
        m -> secrets(m, "hostile-missing-db", "hostile-target-db"));
  }

  static Stream<Row> rows() {
    return ROWS.stream();
  }

  @BeforeAll
  static void startOperatorAndCreateAcceptedRows() {
    client = RealApiServer.client();
    harness = new OperatorHarness(client, NS, OperatorSettings.forTests("http://unused"), new GatedMetrics().value(0))
        .start();
    secret("hostile-source-db", Map.of("jdbcUrl", "jdbc:postgresql://127.0.0.1:1/members", "username", "u",
        "password", PASSWORD));
    secret("hostile-target-db", Map.of("jdbcUrl", "jdbc:postgresql://127.0.0.1:1/portal", "username", "u",
        "password", PASSWORD));
    secret("hostile-no-url-db", Map.of("username", "u", "password", PASSWORD));
    secret("hostile-sqlite-db", Map.of("jdbcUrl", "jdbc:sqlite:/tmp/members.db", "username", "u",
        "password", PASSWORD));
    // Every accepted row at once: the operator meets them all together, as it would a bad batch from GitOps.
    for (int i = 0; i < ROWS.size(); i++) {
      Row row = ROWS.get(i);
      if (row.outcome() != Outcome.REFUSED) {
        client.genericKubernetesResources(row.kind()).inNamespace(NS).resource(build(row, i)).create();
      }
    }
  }

  @AfterAll
  static void stop() {
    if (harness != null) {
      harness.close();
    }
    if (client != null) {
      client.close();
    }
  }

  @Test
  @Order(0)
  @DisplayName("the table holds at least 40 rows, Releases and DataMigrations, refused and accepted")
  void tableIsLargeEnough() {
    System.out.printf("hostile input: %d rows, %d refused at create, %d InvalidSpec, %d held%n", ROWS.size(),
        count(Outcome.REFUSED), count(Outcome.INVALID), count(Outcome.HELD));
    assertThat(ROWS).hasSizeGreaterThanOrEqualTo(40);
    assertThat(ROWS).anyMatch(r -> r.kind() == MIGRATIONS && r.outcome() != Outcome.REFUSED);
    assertThat(ROWS).anyMatch(r -> r.kind() == RELEASES && r.outcome() == Outcome.REFUSED);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  @Order(1)
  @DisplayName("given a hostile Release or DataMigration, then it is refused or marked as the row says, naming the field")
  void outcomeNamesTheField(Row row) {
    int index = ROWS.indexOf(row);
    if (row.outcome() == Outcome.REFUSED) {
      GenericKubernetesResource resource = build(row, index);
      assertThatThrownBy(() -> client.genericKubernetesResources(row.kind()).inNamespace(NS).resource(resource).create())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).as(row.why()).isEqualTo(422);
            assertThat(e.getMessage()).as(row.why()).contains(row.field());
          });
      return;
    }
    String reason = row.outcome() == Outcome.INVALID ? "InvalidSpec" : "SecretNotFound";
    String status = awaitStatus(row, index, reason, Duration.ofSeconds(60));
    assertThat(status).as(row.why()).contains(row.field()).doesNotContain(PASSWORD);
  }

  @Test
  @Order(2)
  @DisplayName("a 10 MB query is refused by the API server before it reaches etcd or the operator")
  void tenMegabyteQueryIsRefused() {
    ObjectNode release = validRelease();
    meta(release).put("name", "huge-query");
    ((ObjectNode) check(release).get("prometheus")).put("query", "sum(up{job=\"" + "x".repeat(10 * 1024 * 1024) + "\"})");
    GenericKubernetesResource resource = JSON.convertValue(release, GenericKubernetesResource.class);
    // The API server takes at most 3 MiB per request body and stops reading; the client then sees either a 413
    // or a stalled request that times out (-1). Either way the Release must never exist, checked here and again
    // after the settling window. One attempt: the default retries would resend 10 MB for two minutes.
    Config once = new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0)
        .withRequestTimeout(5_000).build();
    try (KubernetesClient single = new KubernetesClientBuilder().withConfig(once).build()) {
      assertThatThrownBy(() -> single.genericKubernetesResources(RELEASES).inNamespace(NS).resource(resource).create())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            System.out.printf("10 MB query: HTTP %d %s (cause: %s)%n", e.getCode(), firstLine(e.getMessage()),
                e.getCause() == null ? "none" : firstLine(e.getCause().toString()));
            assertThat(e.getCode()).isIn(-1, 413, 422);
          });
    }
    assertThat(client.genericKubernetesResources(RELEASES).inNamespace(NS).withName("huge-query").get()).isNull();
  }

  @Test
  @Order(3)
  @DisplayName("after all that, nothing is deployed, no credential is echoed, and settled resources are not rewritten in a loop")
  void nothingDeployedAndNoLoop() throws Exception {
    assertThat(client.apps().deployments().inNamespace(NS).list().getItems()).as("Deployments").isEmpty();
    assertThat(client.batch().v1().jobs().inNamespace(NS).list().getItems()).as("Jobs").isEmpty();
    assertThat(client.v1().events().inNamespace(NS).list().getItems())
        .allSatisfy(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain(PASSWORD));

    Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();
    try (Watch releases = watchWrites(RELEASES, writes); Watch migrations = watchWrites(MIGRATIONS, writes)) {
      Thread.sleep(WINDOW.toMillis());
    }
    int accepted = ROWS.size() - count(Outcome.REFUSED);
    int total = writes.values().stream().mapToInt(AtomicInteger::get).sum();
    System.out.printf("hostile input: %d writes to %d accepted resources in %ds after they settled, per resource %s%n",
        total, accepted, WINDOW.toSeconds(), new TreeMap<>(writes));
    assertThat(writes).allSatisfy((name, n) -> assertThat(n.get()).as("writes to " + name).isLessThanOrEqualTo(
        MAX_WRITES_IN_WINDOW));
    // only the accepted rows exist: nothing refused (nor the 10 MB Release) was stored after all
    assertThat(client.genericKubernetesResources(RELEASES).inNamespace(NS).list().getItems().size()
        + client.genericKubernetesResources(MIGRATIONS).inNamespace(NS).list().getItems().size())
        .as("Releases and DataMigrations stored").isEqualTo(accepted);
    assertThat(client.apps().deployments().inNamespace(NS).list().getItems()).as("Deployments").isEmpty();
    assertThat(client.batch().v1().jobs().inNamespace(NS).list().getItems()).as("Jobs").isEmpty();
  }

  // ----- helpers

  private static int count(Outcome outcome) {
    return (int) ROWS.stream().filter(r -> r.outcome() == outcome).count();
  }

  private static Watch watchWrites(ResourceDefinitionContext kind, Map<String, AtomicInteger> writes) {
    return client.genericKubernetesResources(kind).inNamespace(NS).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, GenericKubernetesResource resource) {
        if (action == Action.MODIFIED) {
          writes.computeIfAbsent(kind.getKind() + "/" + resource.getMetadata().getName(), k -> new AtomicInteger())
              .incrementAndGet();
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        // the test ends the watch
      }
    });
  }

  /** Waits until the row's resource has a status naming the reason; returns that status as JSON. */
  private static String awaitStatus(Row row, int index, String reason, Duration timeout) {
    String name = name(row, index);
    Instant end = Instant.now().plus(timeout);
    String last = "";
    while (Instant.now().isBefore(end)) {
      GenericKubernetesResource resource = client.genericKubernetesResources(row.kind()).inNamespace(NS).withName(name)
          .get();
      Object status = resource == null ? null : resource.getAdditionalProperties().get("status");
      last = status == null ? "" : Serialization.asJson(status);
      if (last.contains(reason)) {
        return last;
      }
      sleep(250);
    }
    return fail("%s: no %s in status within %s; last status %s", row, reason, timeout, last);
  }

  private static GenericKubernetesResource build(Row row, int index) {
    ObjectNode tree = row.kind() == RELEASES ? validRelease() : validMigration();
    meta(tree).put("name", name(row, index));
    row.breakIt().accept(tree);
    return JSON.convertValue(tree, GenericKubernetesResource.class);
  }

  /** The row's resource name: its own when the row breaks the name, else one from its place in the table. */
  private static String name(Row row, int index) {
    try {
      ObjectNode tree = row.kind() == RELEASES ? validRelease() : validMigration();
      meta(tree).put("name", "row-" + index);
      row.breakIt().accept(tree);
      return tree.get("metadata").get("name").asText();
    } catch (RuntimeException e) {
      return "row-" + index;
    }
  }

  private static ObjectNode validRelease() {
    try {
      return (ObjectNode) JSON.readTree("""
          {"apiVersion": "stagegate.dev/v1alpha1", "kind": "Release",
           "metadata": {"name": "x"},
           "spec": {
             "replicas": 3,
             "selector": {"matchLabels": {"app": "shop"}},
             "template": {"metadata": {"labels": {"app": "shop"}},
                          "spec": {"containers": [{"name": "app", "image": "example.com/shop:v1"}]}},
             "progressDeadline": "10m",
             "stages": [{"name": "canary-10", "weight": 10, "duration": "5m"},
                        {"name": "canary-50", "weight": 50, "duration": "10m"},
                        {"name": "full", "weight": 100}],
             "checks": [{"name": "error-rate", "interval": "30s", "failureLimit": 2,
                         "prometheus": {"query": "sum(rate(x[1m]))"}, "max": 0.01}],
             "onFailure": "Rollback"}}""");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The documented example, pointed at this test's Secrets (which lead nowhere: 127.0.0.1:1). */
  private static ObjectNode validMigration() {
    try {
      Object yaml = Serialization.unmarshal(Files.readString(RepoPaths.root().resolve("examples/datamigration.yaml")),
          Map.class);
      ObjectNode tree = JSON.valueToTree(yaml);
      meta(tree).remove("namespace");
      secrets(tree, "hostile-source-db", "hostile-target-db");
      return tree;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void secrets(ObjectNode m, String source, String target) {
    ((ObjectNode) spec(m).get("source").get("secretRef")).put("name", source);
    ((ObjectNode) spec(m).get("target").get("secretRef")).put("name", target);
  }

  private static void secret(String name, Map<String, String> data) {
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
        .withStringData(data).build()).createOr(s -> s.update());
  }

  private static ObjectNode meta(ObjectNode tree) {
    return (ObjectNode) tree.get("metadata");
  }

  private static ObjectNode spec(ObjectNode tree) {
    return (ObjectNode) tree.get("spec");
  }

  private static ObjectNode stage(ObjectNode r, int i) {
    return at(r, "stages", i);
  }

  private static ObjectNode check(ObjectNode r) {
    return at(r, "checks", 0);
  }

  private static ObjectNode at(ObjectNode tree, String list, int i) {
    return (ObjectNode) spec(tree).get(list).get(i);
  }

  private static ObjectNode guardSql(ObjectNode m) {
    return (ObjectNode) at(m, "guards", 0).get("sql");
  }

  /** A valid gate (stage 1, until stage 0 of the other resource) to break. */
  private static ObjectNode gate(ObjectNode tree, String otherKind) {
    ObjectNode gate = spec(tree).putArray("gates").addObject().put(otherKind, "other").put("stage", 1);
    gate.putObject("until").put("stage", 0);
    return gate;
  }

  /** A valid webhook target to break. */
  private static ObjectNode notify(ObjectNode r) {
    ObjectNode target = spec(r).putArray("notify").addObject().put("name", "ops").put("type", "webhook");
    target.putObject("urlFrom").putObject("secretKeyRef").put("name", "hooks").put("key", "url");
    return target;
  }

  private static ResourceDefinitionContext context(String plural, String kind) {
    return new ResourceDefinitionContext.Builder().withGroup(ApiGroup.GROUP).withVersion(ApiGroup.VERSION)
        .withPlural(plural).withKind(kind).withNamespaced(true).build();
  }

  private static String firstLine(String message) {
    String text = String.valueOf(message);
    return text.length() > 160 ? text.substring(0, 160) + "..." : text;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
