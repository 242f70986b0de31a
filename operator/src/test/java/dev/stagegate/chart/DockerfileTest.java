package dev.stagegate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stagegate.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * No image can be built here, so this holds the Dockerfile to what the rest of the repository says:
 * the jar Maven builds, the files .dockerignore lets through, the uid and port the chart uses.
 */
class DockerfileTest {
  private final Path root = RepoPaths.root();

  private String dockerfile() throws IOException {
    return Files.readString(root.resolve("Dockerfile"));
  }

  @Test
  @DisplayName("given the Dockerfile, then it builds in one stage and runs in another, from a JRE-only base without the build tools")
  void multiStage() throws IOException {
    List<String> froms = lines("^FROM\\s+(\\S+)");
    assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
    String runtime = froms.get(froms.size() - 1);
    assertThat(runtime).doesNotContain("maven").doesNotContain("jdk");
    assertThat(dockerfile()).contains("COPY --from=build");
  }

  @Test
  @DisplayName("given the operator's POM, then the Dockerfile copies the shaded jar Maven builds and runs it with java -jar")
  void copiesTheJarMavenBuilds() throws IOException {
    String pom = Files.readString(root.resolve("operator/pom.xml"));
    Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
    assertThat(finalName.find()).isTrue();
    String jar = "operator/target/" + finalName.group(1) + ".jar";
    assertThat(pom).contains("maven-shade-plugin").contains("<mainClass>dev.stagegate.Main</mainClass>");
    assertThat(dockerfile()).contains("/src/" + jar).contains("-pl operator -am");
    assertThat(lines("^ENTRYPOINT\\s+(.+)$")).singleElement().asString().contains("\"-jar\"");
  }

  @Test
  @DisplayName("given .dockerignore, then every file the build stage copies is let through, exists, and nothing else is")
  void buildContextHoldsWhatTheBuildCopies() throws IOException {
    List<String> allowed = new ArrayList<>();
    for (String line : Files.readAllLines(root.resolve(".dockerignore"))) {
      if (line.startsWith("!")) {
        allowed.add(line.substring(1).trim());
      }
    }
    assertThat(Files.readAllLines(root.resolve(".dockerignore"))).contains("*");
    List<String> copied = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^COPY\\s+(?!--from)(\\S+)\\s+\\S+$").matcher(dockerfile());
    while (m.find()) {
      copied.add(m.group(1));
    }
    assertThat(copied).isNotEmpty();
    for (String source : copied) {
      assertThat(root.resolve(source)).as(source).exists();
      assertThat(allowed).as(source + " must be let through .dockerignore").contains(source);
    }
    assertThat(allowed).containsExactlyInAnyOrderElementsOf(copied);
  }

  @Test
  @DisplayName("given the chart's defaults, then the image runs as the same numeric non-root uid and exposes the port the chart probes")
  void agreesWithTheChart() throws IOException {
    JsonNode values = HelmChart.YAML.readTree(HelmChart.dir().resolve("values.yaml").toFile());
    List<String> users = lines("^USER\\s+(\\d+)(?::\\d+)?$");
    assertThat(users).as("a numeric USER, so runAsNonRoot can be verified").hasSize(1);
    assertThat(Integer.parseInt(users.get(0))).isPositive()
        .isEqualTo(values.path("podSecurityContext").path("runAsUser").asInt());
    assertThat(lines("^EXPOSE\\s+(\\d+)$")).containsExactly(values.path("port").asText());
  }

  private List<String> lines(String regex) throws IOException {
    List<String> found = new ArrayList<>();
    Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(dockerfile());
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }
}
