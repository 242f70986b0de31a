package dev.stagegate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.NotifyTransition;
import dev.stagegate.api.common.NotifyType;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.kube.OrderedWrites;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Notifications sent in the background: the reconcile hands the send over and returns while the receiver is
 * still answering; a send in flight is never started again; its result is written into status exactly once.
 * The receiver answers only when the test lets it (a latch).
 */
class NotifierBackgroundTest {
  private static final Instant T0 = Instant.parse("2026-12-06T04:00:00Z");
  private static final Duration IDLE = Duration.ofMinutes(10);

  /** A receiver that hangs until let go, counting the posts it got. */
  private static final class HangingSender extends NotifySender {
    final CountDownLatch letGo = new CountDownLatch(1);
    final CountDownLatch posted = new CountDownLatch(1);
    final AtomicInteger posts = new AtomicInteger();
    final Thread reconcileThread = Thread.currentThread();
    volatile Thread sentOn;

    @Override
    public String post(URI address, String body, String idempotencyKey) {
      posts.incrementAndGet();
      sentOn = Thread.currentThread();
      posted.countDown();
      if (sentOn == reconcileThread) {
        return null; // sent inline: hanging here would only hang the test
      }
      try {
        letGo.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }
  }

  @Test
  @DisplayName("given a receiver that hangs, when delivered, then the reconcile returns at once, the send is not repeated while in flight, and its result is recorded once")
  void sendsLeaveTheReconcileThread() throws Exception {
    HangingSender sender = new HangingSender();
    try (OrderedWrites background = OrderedWrites.background("test-notify", 1, 100)) {
      Notifier notifier = new Notifier(null, sender, new NotifySettings(List.of(
          new DefaultTarget("platform", NotifyType.webhook, "http://127.0.0.1:9/hook", List.of())), null),
          new NotifyMetrics(null), background);
      Release release = new Release();
      release.setMetadata(new ObjectMetaBuilder().withName("checkout").withNamespace("shop").withUid("uid-7").build());
      ReleaseStatus status = new ReleaseStatus();
      notifier.plan(release, List.of(), List.of(new Transition(NotifyTransition.Promoted, "abc", "full", 100,
          "Promoted", "promoted", List.of())), status, T0);

      Duration first = notifier.deliver(release, List.of(), status, IDLE, T0);
      assertThat(sender.posted.await(30, TimeUnit.SECONDS)).isTrue();
      Duration second = notifier.deliver(release, List.of(), status, IDLE, T0.plusMillis(100));
      notifier.plan(release, List.of(), List.of(), status, T0.plusMillis(100));

      assertThat(sender.sentOn).as("the thread that sent").isNotSameAs(sender.reconcileThread);
      assertThat(first).as("returned while the receiver hangs").isEqualTo(Notifier.RECORD_RESULTS);
      assertThat(second).as("looks again soon while the send is in flight").isEqualTo(Notifier.RECORD_RESULTS);
      assertThat(sender.posts.get()).isEqualTo(1);
      assertThat(status.getNotifications().getDelivered()).as("nothing recorded while in flight").isEmpty();

      sender.letGo.countDown();
      assertThat(background.flush(30_000)).isTrue();
      notifier.plan(release, List.of(), List.of(), status, T0.plusMillis(200));
      notifier.deliver(release, List.of(), status, IDLE, T0.plusMillis(200));
      notifier.plan(release, List.of(), List.of(), status, T0.plusMillis(300));

      assertThat(status.getNotifications().getPending()).isEmpty();
      assertThat(status.getNotifications().getDelivered()).singleElement()
          .satisfies(d -> assertThat(d.getOutcome()).isEqualTo("Delivered"));
      assertThat(sender.posts.get()).isEqualTo(1);
    }
  }
}
