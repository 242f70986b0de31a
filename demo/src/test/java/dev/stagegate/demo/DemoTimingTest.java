package dev.stagegate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.release.Release;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The demo runs the examples as they are: the only differences are durations. */
class DemoTimingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ExampleResources examples = new ExampleResources(ExampleResources.findRepoRoot(Path.of("")));

  @Test
  @DisplayName("given the example Release, when the demo shortens it, then only stage durations, check intervals and the progress deadline differ")
  void releaseDiffersOnlyInDurations() {
    JsonNode before = JSON.valueToTree(examples.release());
    JsonNode after = JSON.valueToTree(DemoTiming.DEMO.shorten(examples.release()));

    List<String> changed = differences("", before, after);

    assertThat(changed).isNotEmpty().allMatch(path -> path.matches("/spec/stages/\\d+/duration")
        || path.matches("/spec/checks/\\d+/interval") || path.equals("/spec/progressDeadline"), "a duration");
    assertThat(changed).contains("/spec/stages/0/duration", "/spec/checks/0/interval", "/spec/progressDeadline");
  }

  @Test
  @DisplayName("given the example DataMigration, when the demo shortens it, then only verify intervals differ")
  void dataMigrationDiffersOnlyInVerifyIntervals() {
    DataMigration original = examples.dataMigration();
    JsonNode before = JSON.valueToTree(original);
    JsonNode after = JSON.valueToTree(DemoTiming.DEMO.shorten(examples.dataMigration()));

    List<String> changed = differences("", before, after);

    assertThat(changed).isNotEmpty().allMatch(path -> path.matches("/spec/verify/\\d+/interval"), "a verify interval");
    assertThat(original.getSpec().getStages()).extracting(s -> s.getName())
        .as("the scenarios count on the example's stages").containsExactly("pilot", "ramp", "full");
  }

  @Test
  @DisplayName("given the example Release, then it is the one the Release scenarios expect: three stages ending at 100 and an error-rate check")
  void releaseHasWhatTheScenariosNeed() {
    Release release = examples.release();
    assertThat(release.getSpec().getStages()).extracting(s -> s.getWeight()).containsExactly(10, 50, 100);
    assertThat(release.getSpec().getChecks()).anySatisfy(c -> {
      assertThat(c.getName()).contains("error");
      assertThat(c.getMax()).isNotNull();
    });
  }

  /** JSON pointers of every value added, removed or changed. */
  private static List<String> differences(String path, JsonNode a, JsonNode b) {
    List<String> out = new ArrayList<>();
    if (a == null || b == null || a.getNodeType() != b.getNodeType() || a.isValueNode()) {
      if (a == null || !a.equals(b)) {
        out.add(path);
      }
      return out;
    }
    if (a.isArray()) {
      for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
        out.addAll(differences(path + "/" + i, a.get(i), b.get(i)));
      }
      return out;
    }
    List<String> names = new ArrayList<>();
    a.fieldNames().forEachRemaining(names::add);
    for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
      String n = it.next();
      if (!names.contains(n)) {
        names.add(n);
      }
    }
    for (String n : names) {
      out.addAll(differences(path + "/" + n, a.get(n), b.get(n)));
    }
    return out;
  }
}
