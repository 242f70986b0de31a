package dev.stagegate.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A DataMigration's two Secrets were read with a GET on every reconcile (3,860 GETs in one N=1,000 benchmark run).
 * The reconcilers' reader now keeps a found Secret for a short while; a missing one is looked for every time,
 * and one a caller found unusable is read again at once.
 */
@EnableKubernetesMockClient(crud = true)
class SecretValuesCacheMockServerTest {
  static KubernetesClient client;
  static KubernetesMockServer server;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T08:00:00Z"));
  private final SecretValues secrets = SecretValues.cached(client, clock, Duration.ofSeconds(30), 100);

  @BeforeEach
  void clean() {
    client.secrets().inNamespace("shop").delete();
  }

  private void secret(String name, String url) {
    client.secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
        .addToStringData("jdbcUrl", url).build()).createOr(r -> r.update());
  }

  private long requestsFor(Runnable reads) {
    long before = server.getRequestCount();
    reads.run();
    return server.getRequestCount() - before;
  }

  @Test
  @DisplayName("given a found Secret, when it is read again within the TTL, then no request is sent and the kept values are returned")
  void foundSecretIsReused() {
    secret("db", "jdbc:postgresql://db/one");
    assertThat(secrets.read("shop", "db").orElseThrow()).containsEntry("jdbcUrl", "jdbc:postgresql://db/one");

    long requests = requestsFor(() -> {
      for (int i = 0; i < 10; i++) {
        assertThat(secrets.read("shop", "db")).isPresent();
      }
    });

    assertThat(requests).isZero();
  }

  @Test
  @DisplayName("given a Secret changed after it was read, when the TTL has passed, then the new value is read")
  void changedSecretSeenAfterTtl() {
    secret("db", "jdbc:postgresql://db/one");
    secrets.read("shop", "db");
    secret("db", "jdbc:postgresql://db/two");

    clock.advance(Duration.ofSeconds(29));
    assertThat(secrets.read("shop", "db").orElseThrow()).containsEntry("jdbcUrl", "jdbc:postgresql://db/one");
    clock.advance(Duration.ofSeconds(1));
    assertThat(secrets.read("shop", "db").orElseThrow()).containsEntry("jdbcUrl", "jdbc:postgresql://db/two");
  }

  @Test
  @DisplayName("given a missing Secret, when it is created, then the next read finds it (a miss is never kept)")
  void missingIsNeverKept() {
    assertThat(secrets.read("shop", "late")).isEmpty();
    secret("late", "jdbc:postgresql://db/late");

    assertThat(secrets.read("shop", "late")).isPresent();
  }

  @Test
  @DisplayName("given a kept Secret a caller found unusable, when it is forgotten and fixed, then the next read sees the fix")
  void forgottenSecretIsReadAgain() {
    secret("db", "not-a-jdbc-url");
    secrets.read("shop", "db");
    secret("db", "jdbc:postgresql://db/fixed");

    secrets.forget("shop", "db");

    assertThat(secrets.read("shop", "db").orElseThrow()).containsEntry("jdbcUrl", "jdbc:postgresql://db/fixed");
  }

  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
