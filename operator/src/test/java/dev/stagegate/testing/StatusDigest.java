package dev.stagegate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A status as JSON without what legitimately differs between two runs of the same scenario: times, Job uids,
 * run ids and the counters of how often something was looked at. What is left (phase, stages and their states,
 * revisions, weights, check outcomes, conditions' type/status/reason, rollback) must be equal.
 */
public final class StatusDigest {
  private static final Set<String> VOLATILE = Set.of("uid", "runId", "lastTransitionTime", "message",
      "preflightRuns", "evaluations", "observedGeneration", "duration");

  private StatusDigest() {}

  public static String of(Object status) {
    if (status == null) {
      return "null";
    }
    JsonNode tree = Serialization.jsonMapper().valueToTree(status);
    strip(tree);
    return tree.toString();
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String name = field.getKey();
        if (VOLATILE.contains(name) || name.endsWith("At") || name.endsWith("Time")) {
          it.remove();
        } else {
          strip(field.getValue());
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(StatusDigest::strip);
    }
  }
}
