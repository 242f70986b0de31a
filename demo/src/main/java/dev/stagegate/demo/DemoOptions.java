package dev.stagegate.demo;

import java.nio.file.Path;

/**
 * How the demo runs.
 *
 * @param headless no colours, no live redraws: for CI logs
 * @param keep leave the sandbox running after the scenarios, until Ctrl-C
 * @param outputDir where summary.json and timeline.svg go
 * @param simulatedMetrics compute check values from the demo app instead of a real Prometheus
 */
public record DemoOptions(boolean headless, boolean keep, Path outputDir, ApiMode api, boolean simulatedMetrics,
    Path repoRoot) {

  public enum ApiMode {
    /** The real kube-apiserver + etcd when built, else the mock server. */
    AUTO,
    REAL,
    MOCK
  }
}
