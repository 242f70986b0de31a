package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DatabaseSide;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.testing.MemberTables;
import dev.stagegate.testing.PostgresServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.ServerSocket;
import java.sql.Connection;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The operator end to end (mock API server, real PostgreSQL) on the two review findings about databases:
 * a guard chaining statements to leave its read-only transaction, and a password carried in the JDBC
 * URL's user info.
 */
@Tag("postgres")
@EnableKubernetesMockClient(crud = true)
class SqlSafetyMockServerTest extends MigrationScenarioBase {
  static KubernetesClient client;
  private static final long ROWS = SMALL_ROWS;

  @Override
  protected KubernetesClient client() {
    return client;
  }

  private long sourceRows() throws Exception {
    try (Connection c = PostgresServer.connect(sourceDatabase())) {
      return MemberTables.count(c);
    }
  }

  @Test
  @DisplayName("given a guard chaining COMMIT, a switch to READ WRITE and a DELETE, then Failed/InvalidSpec names spec.guards[2].sql.query, no Job, no row deleted")
  void chainedGuardIsInvalidSpec() throws Exception {
    long before = sourceRows();
    harness.apply(members2025().guardMax("sneaky", DatabaseSide.source,
            "COMMIT; SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE; COMMIT; DELETE FROM members WHERE member_id < 50", 0)
        .stage("pilot", 1).stage("full", 100).build());

    DataMigration failed = harness.awaitPhase(NAME, MigrationPhase.Failed, WAIT);
    assertThat(failed.getStatus().getFailureReason()).isEqualTo("InvalidSpec");
    assertThat(condition(failed, "Stalled").getReason()).isEqualTo("InvalidSpec");
    assertThat(failed.getStatus().getMessage()).contains("spec.guards[2].sql.query: must be a single SQL statement");
    assertThat(harness.jobs()).isEmpty();
    assertThat(sourceRows()).isEqualTo(before);
    assertThat(targetChecksum()).isEqualTo(this.before);
  }

  @Test
  @DisplayName("given a MySQL-style URL with the password in its user info and a closed port, then it pauses (DatabaseUnreachable) naming host, port and database; the password is nowhere")
  void passwordInUserInfoIsNeverShown() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    try {
      int closed;
      try (ServerSocket socket = new ServerSocket(0)) {
        closed = socket.getLocalPort();
      }
      // the Secret as the docs allow it: everything in jdbcUrl, no username or password key
      String url = "jdbc:mysql://app:" + PASSWORD + "@127.0.0.1:" + closed + "/members";
      client.secrets().inNamespace(harness.namespace()).resource(new SecretBuilder().withNewMetadata()
          .withName("legacy-members-db").withNamespace(harness.namespace()).endMetadata()
          .withStringData(Map.of("jdbcUrl", url)).build()).createOr(r -> r.update());
      harness.apply(members2025().stage("pilot", 1).stage("full", 100).build());

      DataMigration paused = harness.awaitStatus(NAME, m -> m.getStatus() != null
          && "DatabaseUnreachable".equals(m.getStatus().getPauseReason()), WAIT);
      assertThat(paused.getStatus().getMessage()).contains("source database (Secret legacy-members-db) at mysql://127.0.0.1:"
          + closed + "/members: connection refused");
      assertThat(harness.jobs()).isEmpty();

      String everything = Serialization.asJson(paused.getStatus()) + "\n"
          + harness.events(NAME).stream().map(Event::getMessage).collect(Collectors.joining("\n")) + "\n"
          + harness.operator().registry().scrape() + "\n"
          + logs.list.stream().map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
              : ThrowableProxyUtil.asString(e.getThrowableProxy()))).collect(Collectors.joining("\n"));
      assertThat(everything).contains("DatabaseUnreachable").doesNotContain(PASSWORD).doesNotContain("app:")
          .doesNotContain("jdbc:");
    } finally {
      root.detachAppender(logs);
    }
  }
}
