package dev.stagegate.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository's top folder from wherever Maven runs a test (usually the module folder). */
public final class RepoPaths {

  private RepoPaths() {}

  public static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("crds")) && Files.isRegularFile(dir.resolve("Makefile"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
  }

  /** Where scripts/kube-tools.sh puts kubectl and helm; STAGEGATE_TOOLS overrides it. */
  public static Path tools() {
    String override = System.getenv("STAGEGATE_TOOLS");
    return override != null && !override.isBlank() ? Path.of(override) : root().resolve(".tools");
  }
}
