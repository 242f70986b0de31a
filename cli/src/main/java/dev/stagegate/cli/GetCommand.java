package dev.stagegate.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "get", description = "List Releases and DataMigrations: phase, stage, weight and checks.",
    footer = Exit.HELP)
final class GetCommand implements Callable<Integer> {
  @Mixin
  Cluster cluster;

  @Option(names = {"-A", "--all-namespaces"}, description = "List them in every namespace.")
  boolean allNamespaces;

  @Parameters(arity = "0..1", paramLabel = "KIND",
      description = "Only this kind: release (rel) or datamigration (dm); both when left out.")
  String kindFilter;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    List<Kind> kinds = kindFilter == null ? List.of(Kind.values())
        : List.of(Kind.named(kindFilter).orElseThrow(() -> new Failure(Exit.USAGE,
            "unknown kind `" + kindFilter + "`: use release (rel) or datamigration (dm)")));
    String namespace = allNamespaces ? null : cluster.namespace();
    List<Rollout> rollouts = new ArrayList<>();
    try (KubernetesClient client = cluster.client()) {
      Lookup lookup = new Lookup(client);
      kinds.forEach(k -> rollouts.addAll(lookup.list(k, namespace)));
    }
    Table table = allNamespaces
        ? new Table("NAMESPACE", "KIND", "NAME", "PHASE", "STAGE", "WEIGHT", "CHECKS")
        : new Table("KIND", "NAME", "PHASE", "STAGE", "WEIGHT", "CHECKS");
    for (Rollout r : rollouts) {
      String[] cells = {r.kind().kind, r.name(), r.phaseText(), r.stage(), r.weight(), r.checksSummary()};
      if (allNamespaces) {
        String[] withNamespace = new String[cells.length + 1];
        withNamespace[0] = r.namespace();
        System.arraycopy(cells, 0, withNamespace, 1, cells.length);
        cells = withNamespace;
      }
      table.row(cells);
    }
    if (table.isEmpty()) {
      // like kubectl: the "nothing here" note goes to stderr so that stdout stays parseable
      spec.commandLine().getErr().println(allNamespaces ? "No Releases or DataMigrations found."
          : "No Releases or DataMigrations found in namespace " + namespace + ".");
    } else {
      spec.commandLine().getOut().print(table.render());
    }
    spec.commandLine().getOut().flush();
    return Exit.OK;
  }
}
