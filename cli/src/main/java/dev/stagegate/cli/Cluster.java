package dev.stagegate.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.File;
import picocli.CommandLine.Option;

/**
 * The connection options kubectl users expect, with kubectl's meaning: the kubeconfig from --kubeconfig,
 * else $KUBECONFIG, else ~/.kube/config; its current context unless --context names another; the
 * namespace from -n, else the context's namespace, else `default`.
 */
final class Cluster {
  @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
      description = "Namespace (default: the current context's namespace, else `default`).")
  String namespace;

  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Path to the kubeconfig file.")
  File kubeconfig;

  @Option(names = "--context", paramLabel = "CONTEXT", description = "The kubeconfig context to use.")
  String context;

  private Config config;

  KubernetesClient client() {
    // the JDK's HTTP client, named rather than found on the class path, so that tests (whose class path also
    // holds the operator's Vert.x client) run the plugin exactly as shipped
    return new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory()).withConfig(config()).build();
  }

  String namespace() {
    if (namespace != null) {
      return namespace;
    }
    String fromContext = config().getNamespace();
    return fromContext == null || fromContext.isBlank() ? "default" : fromContext;
  }

  private Config config() {
    if (config == null) {
      Config c = kubeconfig == null ? Config.autoConfigure(context) : Config.fromKubeconfig(context, kubeconfig);
      // a person is waiting: report an unreachable server after one retry, not after Fabric8's ten
      c.setRequestRetryBackoffLimit(1);
      config = c;
    }
    return config;
  }
}
