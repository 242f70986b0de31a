package dev.stagegate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.testing.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile's build stage replayed without Docker (no engine runs here): exactly the files its COPY lines
 * bring into /src, nothing else, and then its Maven command. A POM the image build does not copy, or a source
 * it needs but does not get, fails here as it would fail `docker build`.
 */
@Tag("tools")
class DockerBuildStageTest {
  private static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+(?!--from)(\\S+)\\s+(\\S+)$");
  private static final Pattern MVN = Pattern.compile("(?m)^\\s*(mvn\\s.+)$");

  @Test
  @DisplayName("given only what the build stage copies, when its Maven command runs, then it produces the jar the runtime stage copies, with the operator's main class")
  void buildStageProducesTheJar() throws Exception {
    Path root = RepoPaths.root();
    String dockerfile = Files.readString(root.resolve("Dockerfile"));
    String buildStage = dockerfile.substring(0, dockerfile.indexOf("\nFROM ", dockerfile.indexOf("FROM ") + 1));
    Path context = Files.createTempDirectory("docker-build-stage");
    try {
      Matcher copy = COPY.matcher(buildStage);
      while (copy.find()) {
        copyInto(root.resolve(copy.group(1)), context.resolve(copy.group(2)).resolve(
            copy.group(2).endsWith("/") ? Path.of(copy.group(1)).getFileName().toString() : ""));
      }
      Matcher mvn = MVN.matcher(buildStage);
      assertThat(mvn.find()).as("the build stage runs mvn").isTrue();
      List<String> command = new ArrayList<>(Arrays.asList(mvn.group(1).trim().split("\\s+")));
      Path log = context.resolve("build.log");
      Process process = new ProcessBuilder(command).directory(context.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("mvn finished").isTrue();
      assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + tail(log)).isZero();

      Matcher jar = Pattern.compile("COPY --from=build /src/(\\S+\\.jar)").matcher(dockerfile);
      assertThat(jar.find()).isTrue();
      Path built = context.resolve(jar.group(1));
      assertThat(built).exists();
      try (JarFile file = new JarFile(built.toFile())) {
        assertThat(file.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.stagegate.Main");
      }
    } finally {
      deleteTree(context);
    }
  }

  /** COPY semantics for what this Dockerfile uses: a file into a file path, a folder's contents into a folder. */
  private static void copyInto(Path source, Path target) throws IOException {
    if (Files.isDirectory(source)) {
      try (Stream<Path> files = Files.walk(source)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          Path to = target.resolve(source.relativize(file).toString());
          Files.createDirectories(to.getParent());
          Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } else {
      Files.createDirectories(target.getParent());
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
