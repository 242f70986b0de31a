package dev.stagegate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChartCrdsInSyncTest {

  @Test
  @DisplayName("given the CRDs in crds/, then the chart's crds/ holds byte-identical copies and nothing else (run `make crds`)")
  void chartCrdsAreCopiesOfTheRepositoryCrds() throws IOException {
    Path source = RepoPaths.root().resolve("crds");
    Path chart = RepoPaths.root().resolve("helm/stagegate/crds");
    List<String> expected = yamlFiles(source);
    assertThat(expected).as("CRDs in " + source).isNotEmpty();

    assertThat(yamlFiles(chart)).as("files in " + chart + " (run `make crds`)").isEqualTo(expected);
    for (String name : expected) {
      assertThat(Files.readString(chart.resolve(name)))
          .as("helm/stagegate/crds/" + name + " differs from crds/" + name + ": run `make crds`")
          .isEqualTo(Files.readString(source.resolve(name)));
    }
  }

  private static List<String> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
          .sorted().toList();
    }
  }
}
