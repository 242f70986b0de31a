package dev.stagegate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.NotificationStatus;
import dev.stagegate.api.common.NotifyTransition;
import dev.stagegate.api.common.PendingNotification;
import dev.stagegate.api.common.PendingNotification.PendingTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NotificationOutboxTest {
  private static final Instant T0 = Instant.parse("2026-12-06T04:00:00Z");

  private static Transition transition(NotifyTransition kind, String stage) {
    return new Transition(kind, "abc123", stage, 10, kind.name(), "message", List.of());
  }

  private static NotificationStatus recorded(NotificationStatus box, Transition... transitions) {
    return NotificationOutbox.record(box, List.of(transitions), t -> List.of("hook", "chat"), T0);
  }

  @Test
  @DisplayName("given no targets want a transition, when it is recorded, then nothing is pending and no outbox is created")
  void unwantedTransitionsLeaveNoOutbox() {
    NotificationStatus box = NotificationOutbox.record(null, List.of(transition(NotifyTransition.StageStarted, "a")),
        t -> List.of(), T0);
    assertThat(box).isNull();
  }

  @Test
  @DisplayName("given transitions, when recorded, then each gets the next sequence number and every target that wants it")
  void transitionsGetSequenceNumbers() {
    NotificationStatus box = recorded(null, transition(NotifyTransition.StagePassed, "a"),
        transition(NotifyTransition.StageStarted, "b"));
    box = recorded(box, transition(NotifyTransition.RolledBack, "b"));

    assertThat(box.getPending()).extracting(PendingNotification::getSequence).containsExactly(1L, 2L, 3L);
    assertThat(box.getPending()).extracting(PendingNotification::getTransition).containsExactly(
        NotifyTransition.StagePassed, NotifyTransition.StageStarted, NotifyTransition.RolledBack);
    assertThat(box.getPending().get(0).getTargets()).extracting(PendingTarget::getName).containsExactly("hook", "chat");
    assertThat(box.getNextSequence()).isEqualTo(4L);
    assertThat(NotificationOutbox.due(box, T0)).hasSize(6);
  }

  @Test
  @DisplayName("given a full outbox, when another transition comes, then the oldest is dropped and counted, and sequence numbers keep counting")
  void outboxIsBounded() {
    NotificationStatus box = null;
    for (int i = 0; i < NotificationOutbox.MAX_PENDING + 3; i++) {
      box = recorded(box, transition(NotifyTransition.StageStarted, "s" + i));
    }
    assertThat(box.getPending()).hasSize(NotificationOutbox.MAX_PENDING);
    assertThat(box.getPending().get(0).getSequence()).isEqualTo(4L);
    assertThat(box.getDropped()).isEqualTo(3);
  }

  @Test
  @DisplayName("given a delivered and a failed send, when the results are applied, then the delivered target is done and recorded, the failed one waits 1 s, then 2 s, then 4 s")
  void failuresBackOffExponentially() {
    NotificationStatus box = recorded(null, transition(NotifyTransition.Promoted, null));
    NotificationOutbox.apply(box, List.of(new DeliveryResult(1, "hook", 1, null), new DeliveryResult(1, "chat", 1, "HTTP 503")), T0);

    assertThat(box.getPending()).singleElement().satisfies(p -> assertThat(p.getTargets()).singleElement().satisfies(t -> {
      assertThat(t.getName()).isEqualTo("chat");
      assertThat(t.getAttempts()).isEqualTo(1);
      assertThat(t.getLastError()).isEqualTo("HTTP 503");
    }));
    assertThat(box.getDelivered()).extracting(d -> d.getTarget() + " " + d.getOutcome()).containsExactly("hook Delivered");
    assertThat(NotificationOutbox.due(box, T0.plusMillis(999))).isEmpty();
    assertThat(NotificationOutbox.nextAttempt(box)).contains(T0.plusSeconds(1));
    assertThat(NotificationOutbox.due(box, T0.plusSeconds(1))).singleElement()
        .satisfies(d -> assertThat(d.attempt()).isEqualTo(2));

    NotificationOutbox.apply(box, List.of(new DeliveryResult(1, "chat", 2, "cannot connect")), T0.plusSeconds(1));
    assertThat(NotificationOutbox.nextAttempt(box)).contains(T0.plusSeconds(3));
    NotificationOutbox.apply(box, List.of(new DeliveryResult(1, "chat", 3, "cannot connect")), T0.plusSeconds(3));
    assertThat(NotificationOutbox.nextAttempt(box)).contains(T0.plusSeconds(7));
    assertThat(NotificationOutbox.backoff(30)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  @DisplayName("given a result already applied in the written status, when it is applied again (a turn planned twice), then nothing changes")
  void aResultIsAppliedOnce() {
    NotificationStatus box = recorded(null, transition(NotifyTransition.Paused, "b"));
    DeliveryResult failed = new DeliveryResult(1, "chat", 1, "HTTP 500");
    NotificationOutbox.apply(box, List.of(failed), T0);
    PendingTarget chat = box.getPending().get(0).target("chat");
    String next = chat.getNextAttemptAt();

    NotificationOutbox.apply(box, List.of(failed), T0.plusSeconds(5));

    assertThat(chat.getAttempts()).isEqualTo(1);
    assertThat(chat.getNextAttemptAt()).isEqualTo(next);
    assertThat(box.getPending().get(0).target("hook").getAttempts()).as("the other target is untouched").isNull();
  }

  @Test
  @DisplayName("given a target that keeps failing, when the last attempt fails, then it is given up, recorded as GaveUp and no longer due")
  void givesUpAfterTheLastAttempt() {
    NotificationStatus box = NotificationOutbox.record(null, List.of(transition(NotifyTransition.Failed, null)),
        t -> List.of("hook"), T0);
    List<DeliveryResult> results = new ArrayList<>();
    for (int attempt = 1; attempt <= NotificationOutbox.MAX_ATTEMPTS; attempt++) {
      results.add(new DeliveryResult(1, "hook", attempt, "HTTP 500"));
      NotificationOutbox.apply(box, results, T0);
    }
    assertThat(box.getPending()).isEmpty();
    assertThat(box.getDelivered()).singleElement().satisfies(d -> {
      assertThat(d.getOutcome()).isEqualTo("GaveUp");
      assertThat(d.getAttempts()).isEqualTo(NotificationOutbox.MAX_ATTEMPTS);
    });
    assertThat(NotificationOutbox.due(box, T0.plus(Duration.ofDays(1)))).isEmpty();
  }

  @Test
  @DisplayName("given many deliveries, then status keeps only the latest")
  void deliveredListIsBounded() {
    NotificationStatus box = null;
    for (int i = 0; i < NotificationOutbox.MAX_DELIVERED + 5; i++) {
      box = NotificationOutbox.record(box, List.of(transition(NotifyTransition.StageStarted, "s")), t -> List.of("hook"), T0);
      NotificationOutbox.apply(box, List.of(new DeliveryResult(i + 1, "hook", 1, null)), T0);
    }
    assertThat(box.getDelivered()).hasSize(NotificationOutbox.MAX_DELIVERED);
    assertThat(box.getDelivered().get(box.getDelivered().size() - 1).getSequence()).isEqualTo(NotificationOutbox.MAX_DELIVERED + 5L);
  }
}
