package dev.stagegate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.NotifyTransition;
import dev.stagegate.api.common.NotifyType;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.testing.WebhookSink;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The turn-to-turn protocol around the commit point, with an operator-wide default target and a real sink. */
class NotifierTest {
  private static final Instant T0 = Instant.parse("2026-12-06T04:00:00Z");
  private static final Duration IDLE = Duration.ofMinutes(10);

  private static Release release() {
    Release release = new Release();
    release.setMetadata(new ObjectMetaBuilder().withName("checkout").withNamespace("shop").withUid("uid-9").build());
    return release;
  }

  private static Transition promoted() {
    return new Transition(NotifyTransition.Promoted, "abc", "full", 100, "Promoted", "promoted", List.of());
  }

  @Test
  @DisplayName("given a default target, when a transition is planned, sent, and the next turn is planned, then it is sent once, not again while its result is unwritten, and recorded as Delivered")
  void sendOnceThenRecord() {
    try (WebhookSink sink = new WebhookSink()) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      Notifier notifier = new Notifier(null, new NotifySender(), new NotifySettings(List.of(
          new DefaultTarget("platform", NotifyType.webhook, sink.url("/platform"), List.of())), null),
          new NotifyMetrics(registry));
      Release release = release();
      ReleaseStatus planned = new ReleaseStatus();

      notifier.plan(release, List.of(), List.of(promoted()), planned, T0);
      assertThat(planned.getNotifications().getPending()).singleElement()
          .satisfies(p -> assertThat(p.getTargets()).extracting(t -> t.getName()).containsExactly("operator/platform"));

      Duration requeue = notifier.deliver(release, List.of(), planned, IDLE, T0);
      assertThat(requeue).as("look again soon to write the result").isEqualTo(Notifier.RECORD_RESULTS);
      // a turn whose status write lost a race acts on the same committed status again: no second send
      notifier.deliver(release, List.of(), planned, IDLE, T0);
      assertThat(sink.received("/platform")).hasSize(1);

      ReleaseStatus next = planned;
      notifier.plan(release, List.of(), List.of(), next, T0.plusMillis(100));
      assertThat(next.getNotifications().getPending()).isEmpty();
      assertThat(next.getNotifications().getDelivered()).singleElement()
          .satisfies(d -> assertThat(d.getOutcome()).isEqualTo("Delivered"));
      assertThat(notifier.deliver(release, List.of(), next, IDLE, T0.plusMillis(100))).isEqualTo(IDLE);
      assertThat(sink.received("/platform")).hasSize(1);
      assertThat(registry.get("stagegate.notifications").tag("type", "webhook").tag("outcome", "delivered")
          .counter().count()).isEqualTo(1.0);
    }
  }

  @Test
  @DisplayName("given a default target that wants rollbacks only, then a promotion is not recorded at all")
  void defaultsFilterTransitions() {
    Notifier notifier = new Notifier(null, new NotifySender(), new NotifySettings(List.of(
        new DefaultTarget("platform", NotifyType.slack, "http://127.0.0.1:9/x", List.of(NotifyTransition.RolledBack))), null),
        new NotifyMetrics(null));
    ReleaseStatus planned = new ReleaseStatus();
    notifier.plan(release(), List.of(), List.of(promoted()), planned, T0);
    assertThat(planned.getNotifications()).isNull();
  }

  @Test
  @DisplayName("given a failing receiver, when sent, then the next turn records the failure with its backoff and the turn after waits for it")
  void failureIsRecordedAndWaitedFor() {
    try (WebhookSink sink = new WebhookSink().failNext(1)) {
      Notifier notifier = new Notifier(null, new NotifySender(), new NotifySettings(List.of(
          new DefaultTarget("platform", NotifyType.webhook, sink.url("/p"), List.of())), null), new NotifyMetrics(null));
      Release release = release();
      ReleaseStatus status = new ReleaseStatus();
      notifier.plan(release, List.of(), List.of(promoted()), status, T0);
      notifier.deliver(release, List.of(), status, IDLE, T0);
      notifier.plan(release, List.of(), List.of(), status, T0);

      var target = status.getNotifications().getPending().get(0).getTargets().get(0);
      assertThat(target.getLastError()).isEqualTo("HTTP 503");
      assertThat(notifier.deliver(release, List.of(), status, IDLE, T0)).as("waits for the backoff")
          .isEqualTo(Duration.ofSeconds(1));
      assertThat(sink.received("/p")).hasSize(1);
      notifier.deliver(release, List.of(), status, IDLE, T0.plusSeconds(1));
      notifier.plan(release, List.of(), List.of(), status, T0.plusSeconds(1));
      assertThat(status.getNotifications().getPending()).isEmpty();
      assertThat(status.getNotifications().getDelivered().get(0).getAttempts()).isEqualTo(2);
    }
  }
}
