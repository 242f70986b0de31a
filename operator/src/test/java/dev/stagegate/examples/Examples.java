package dev.stagegate.examples;

import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.Stage;
import dev.stagegate.testing.RepoPaths;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The files in examples/, read as users would apply them, and sped up for tests that run them. */
public final class Examples {
  private Examples() {}

  public static Path dir() {
    return RepoPaths.root().resolve("examples");
  }

  /** examples/release*.yaml (the DataMigration example belongs to the migration tests). */
  public static List<Path> releaseFiles() {
    try (Stream<Path> files = Files.list(dir())) {
      return files.filter(p -> p.getFileName().toString().matches("release.*\\.yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(String file) {
    try {
      return Files.readString(dir().resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Release in the file; an example may hold other documents beside it (e.g. the HPA of release-hpa.yaml). */
  public static Release release(String file) {
    return documents(file).stream().filter(d -> d.contains("\nkind: Release\n")).findFirst()
        .map(d -> Serialization.unmarshal(d, Release.class))
        .orElseThrow(() -> new IllegalStateException("no Release in examples/" + file));
  }

  /** The YAML documents of the file, in order (each with its leading comments). */
  public static List<String> documents(String file) {
    return Stream.of(text(file).split("(?m)^---\\s*$")).map(d -> "\n" + d.strip() + "\n")
        .filter(d -> d.contains("\nkind: ")).toList();
  }

  /**
   * The same Release with minutes turned into seconds: stage durations 2 s, checks every second over
   * 10 s windows, a 30 s progress deadline. Queries, thresholds, stages and approvals stay as written.
   */
  public static Release spedUp(Release release, String namespace) {
    release.getMetadata().setNamespace(namespace);
    release.getSpec().setProgressDeadline("30s");
    for (Stage stage : release.getSpec().getStages()) {
      if (stage.getDuration() != null) {
        stage.setDuration("2s");
      }
    }
    for (Check check : release.getSpec().getChecks()) {
      check.setInterval("1s");
      if (check.getPrometheus() != null) {
        check.getPrometheus().setQuery(check.getPrometheus().getQuery().replaceAll("\\[[0-9]+[smh]\\]", "[10s]"));
      }
    }
    return release;
  }
}
