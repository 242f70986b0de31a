package dev.stagegate.demo;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Where Prometheus is: $PROMETHEUS_BINARY, Debian's /usr/bin/prometheus, or the PATH. */
final class PrometheusBinary {
  private PrometheusBinary() {}

  static Optional<Path> find() {
    List<Path> candidates = new ArrayList<>();
    String configured = System.getenv("PROMETHEUS_BINARY");
    if (configured != null && !configured.isBlank()) {
      candidates.add(Path.of(configured));
    }
    candidates.add(Path.of("/usr/bin/prometheus"));
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isBlank()) {
          candidates.add(Path.of(dir, "prometheus"));
        }
      }
    }
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }
}
