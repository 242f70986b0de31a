package dev.stagegate.link;

import dev.stagegate.api.common.LinkStatus;
import dev.stagegate.common.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The links recorded in a status (one {@link LinkStatus} per linked resource): both planners use it to
 * remember opened gates and acted-on failures, so a restarted operator neither waits again nor undoes twice.
 */
public final class LinkBook {
  /** Timestamps written at second precision may read up to a second before the moment they describe. */
  private static final Duration CLOCK_SLACK = Duration.ofSeconds(1L);
  private final List<LinkStatus> entries;

  private LinkBook(List<LinkStatus> entries) {
    this.entries = entries;
  }

  /** The book over a status's list, which it fills in place; a null list is replaced through {@code set}. */
  public static LinkBook of(List<LinkStatus> entries, Consumer<List<LinkStatus>> set) {
    if (entries == null) {
      entries = new ArrayList<>();
      set.accept(entries);
    }
    return new LinkBook(entries);
  }

  /** The entry for a resource, created (since = now) the first time the link is seen in this run. */
  public LinkStatus entry(String resource, Instant now) {
    Optional<LinkStatus> found = entries.stream().filter(e -> resource.equals(e.getResource())).findFirst();
    if (found.isPresent()) {
      return found.get();
    }
    LinkStatus created = new LinkStatus(resource, Timestamps.precise(now));
    entries.add(created);
    return created;
  }

  /** Records every observed link, so its `since` is when this run first saw it. */
  public void track(List<LinkView> views, Instant now) {
    views.forEach(v -> entry(v.resource(), now));
  }

  /**
   * The first linked resource whose failure this side must follow now: RollBackBoth, failed after this run
   * saw the link (an older failure belongs to an earlier run), and not acted on yet.
   */
  public Optional<LinkView> failureToFollow(List<LinkView> views, Instant now) {
    for (LinkView view : views) {
      LinkStatus entry = entry(view.resource(), now);
      Instant since = Timestamps.parse(entry.getSince());
      if (view.rollsBackBoth() && view.failedAt() != null && !entry.failed()
          && !view.failedAt().isBefore(since.minus(CLOCK_SLACK))) {
        return Optional.of(view);
      }
    }
    return Optional.empty();
  }

  public void markFailed(LinkView view, String message, Instant now) {
    LinkStatus entry = entry(view.resource(), now);
    entry.setState(LinkStatus.FAILED);
    entry.setMessage(message);
  }

  public boolean opened(String resource, int stage) {
    return entries.stream().anyMatch(e -> resource.equals(e.getResource()) && e.opened(stage));
  }

  public void open(String resource, int stage, Instant now) {
    LinkStatus entry = entry(resource, now);
    if (!entry.opened(stage)) {
      entry.getOpenedGates().add(stage);
    }
  }

  public static Optional<LinkView> find(List<LinkView> views, String resource) {
    return views.stream().filter(v -> v.resource().equals(resource)).findFirst();
  }
}
