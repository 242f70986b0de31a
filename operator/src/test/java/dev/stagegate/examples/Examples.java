package dev.stagegate.examples;

import dev.stagegate.api.migration.DataMigration;
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

  /** The Release in an example; a file may also hold the DataMigration it is linked to or the HPA that scales it. */
  public static Release release(String file) {
    return Serialization.unmarshal(document(file, "Release"), Release.class);
  }

  /** The DataMigration in an example. */
  public static DataMigration migration(String file) {
    return Serialization.unmarshal(document(file, "DataMigration"), DataMigration.class);
  }

  private static String document(String file, String kind) {
    List<String> documents = documents(file).stream().filter(d -> d.contains("\nkind: " + kind + "\n")).toList();
    if (documents.size() != 1) {
      throw new IllegalArgumentException(file + ": expected one " + kind + ", found " + documents.size());
    }
    return documents.get(0);
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
