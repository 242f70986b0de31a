package dev.stagegate.notify;

import dev.stagegate.api.common.NotifyTransition;
import dev.stagegate.api.common.PendingNotification.NotifiedCheck;
import java.util.List;

/**
 * A transition seen between the committed status and the planned one, with what its message will say.
 *
 * @param revision the canary's revision for stage transitions, the stable one after promotion; null for a migration
 * @param weight the canary's actual weight (Release), else null
 */
public record Transition(NotifyTransition kind, String revision, String stage, Integer weight, String reason,
    String message, List<NotifiedCheck> checks) {
}
