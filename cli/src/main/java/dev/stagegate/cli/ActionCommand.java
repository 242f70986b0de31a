package dev.stagegate.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Asks the operator for an action by writing the `stagegate.dev/action` annotation (a merge patch of that
 * one key, so nothing else on the object is touched). The operator applies it on its next turn, records it
 * in status.lastAction, removes the annotation, and reports an action that does not fit the current phase
 * as an ActionIgnored event; the plugin itself refuses only what never applies to the kind.
 */
abstract class ActionCommand {
  @Mixin
  Cluster cluster;

  @Parameters(paramLabel = "NAME", description = "The name, or KIND/NAME (release/checkout, dm/members-2025).")
  String name;

  @Spec
  CommandSpec spec;

  int request(Action action) {
    String namespace = cluster.namespace();
    try (KubernetesClient client = cluster.client()) {
      Lookup.Found found = new Lookup(client).find(namespace, name);
      Kind kind = found.kind();
      String objectName = found.resource().getMetadata().getName();
      String word = action.word(kind).orElseThrow(() -> new Failure(Exit.FAILED,
          action.command + " does not apply to " + kind.kind + " " + namespace + "/" + objectName + ": "
              + action.refusal(kind)));
      String pending = found.rollout().action();
      String patch = Serialization.asJson(Map.of("metadata", Map.of("annotations", Map.of(Action.ANNOTATION, word))));
      client.genericKubernetesResources(kind.context).inNamespace(namespace).withName(objectName)
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      String note = pending == null ? "" : pending.equals(word) ? " (it was already pending)"
          : " (replaces the pending `" + pending + "`, which the operator had not taken up)";
      spec.commandLine().getOut().printf("%s: %s requested%s%n", kind.qualified(objectName), word, note);
      spec.commandLine().getOut().flush();
      return Exit.OK;
    }
  }
}
