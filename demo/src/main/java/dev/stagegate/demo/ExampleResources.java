package dev.stagegate.demo;

import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.release.Release;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The resources the demo applies come from examples/, the files a person would `kubectl apply`: the demo runs
 * exactly those, with only their durations shortened by {@link DemoTiming}.
 */
public final class ExampleResources {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private final Path repoRoot;

  public ExampleResources(Path repoRoot) {
    this.repoRoot = repoRoot;
  }

  /** The repository root: the first folder up from here with pom.xml and examples/ (or operator/). */
  public static Path findRepoRoot(Path from) {
    for (Path dir = from.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("operator"))) {
        return dir;
      }
    }
    throw new SandboxException("cannot find the Stagegate repository (pom.xml + operator/) from " + from.toAbsolutePath()
        + "; run the demo from the repository");
  }

  /** examples/release.yaml. */
  public Path releaseFile() {
    return example("release.yaml");
  }

  public Release release() {
    return load(releaseFile(), Release.class);
  }

  /** examples/datamigration.yaml. */
  public Path dataMigrationFile() {
    return example("datamigration.yaml");
  }

  public DataMigration dataMigration() {
    return load(dataMigrationFile(), DataMigration.class);
  }

  Path example(String name) {
    Path file = repoRoot.resolve("examples").resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new SandboxException("examples/" + name + " is missing in " + repoRoot);
    }
    return file;
  }

  static <T> T load(Path file, Class<T> type) {
    try (InputStream in = Files.newInputStream(file)) {
      return YAML.unmarshal(in, type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (RuntimeException e) {
      throw new SandboxException(file + " is not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  public Path repoRoot() {
    return repoRoot;
  }
}
