package dev.stagegate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CrdInSyncTest {

  @Test
  @DisplayName("given the CRDs generated from the Java model, then crds/ holds exactly the same YAML (run `make crds` after changing the model)")
  void committedCrdsMatchTheModel() throws IOException {
    Path generated = Path.of("target/classes/META-INF/fabric8");
    Path committed = RepoPaths.root().resolve("crds");
    try (Stream<Path> files = Files.list(generated)) {
      var crds = files.filter(p -> p.toString().endsWith("-v1.yml")).toList();
      assertThat(crds).as("generated CRDs").isNotEmpty();
      for (Path crd : crds) {
        Path copy = committed.resolve(crd.getFileName().toString().replace("-v1.yml", ".yaml"));
        assertThat(copy).as("committed copy of " + crd.getFileName()).exists();
        assertThat(Files.readString(copy)).as(copy + " differs from the model: run `make crds`")
            .isEqualTo(Files.readString(crd));
      }
    }
  }
}
