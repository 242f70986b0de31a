package dev.stagegate.notify;

import dev.stagegate.api.common.NotifyTransition;
import dev.stagegate.api.common.PendingNotification;

/**
 * One notification as every format sees it: which resource, which transition, and the links to act on it.
 *
 * @param kind Release or DataMigration
 * @param dashboardUrl the operator's configured dashboard address, or null
 */
public record Message(String kind, String namespace, String name, String uid, PendingNotification notification,
    String dashboardUrl) {

  /** The receiver's deduplication key: the same for every resend of this transition, across restarts. */
  public String idempotencyKey() {
    return uid + "-" + notification.getSequence();
  }

  public NotifyTransition transition() {
    return notification.getTransition();
  }

  /** How the kubectl plugin names the resource: `release/NAME` or `dm/NAME`. */
  public String pluginName() {
    return ("Release".equals(kind) ? "release/" : "dm/") + name;
  }

  /** The command that approves a held stage, when the transition is a wait for approval. */
  public String approveCommand() {
    return awaitingApproval() ? "kubectl stagegate approve " + pluginName() + " -n " + namespace : null;
  }

  public String statusCommand() {
    return "kubectl stagegate status " + pluginName() + " -n " + namespace;
  }

  public boolean awaitingApproval() {
    return transition() == NotifyTransition.Paused && "AwaitingApproval".equals(notification.getReason());
  }

  /** One line a person reads first: "Release shop/checkout: stage canary-50 started (revision 5d9f, 50%)". */
  public String headline() {
    PendingNotification n = notification;
    StringBuilder s = new StringBuilder(kind).append(' ').append(namespace).append('/').append(name).append(": ");
    s.append(switch (n.getTransition()) {
      case StageStarted -> "stage " + n.getStage() + " started";
      case StagePassed -> "stage " + n.getStage() + " passed";
      case Paused -> awaitingApproval() ? "stage " + n.getStage() + " awaits approval" : "paused (" + n.getReason() + ")";
      case RolledBack -> "rolled back";
      case Promoted -> "promoted";
      case Succeeded -> "succeeded";
      case Failed -> "failed (" + n.getReason() + ")";
    });
    if (n.getRevision() != null || n.getWeight() != null) {
      s.append(" (");
      if (n.getRevision() != null) {
        s.append("revision ").append(n.getRevision());
      }
      if (n.getWeight() != null) {
        s.append(n.getRevision() != null ? ", " : "").append(n.getWeight()).append('%');
      }
      s.append(')');
    }
    return s.toString();
  }
}
