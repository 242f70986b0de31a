package dev.stagegate.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.Durations;
import dev.stagegate.migration.plan.MigrationValidator;
import dev.stagegate.testing.DataMigrations;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationRulesTest {

  @ParameterizedTest(name = "{0} in {1}..{2}: {3}")
  @DisplayName("given a duration, then it is accepted only when it parses and lies within the field's bounds, never throwing")
  @CsvSource({
      "0s, INTERVAL, false",
      "499ms, INTERVAL, false",
      "500ms, INTERVAL, true",
      "1h, INTERVAL, true",
      "1h1s, INTERVAL, false",
      "0s, STAGE_DURATION, true",
      "168h, STAGE_DURATION, true",
      "9999999h, STAGE_DURATION, false",
      "99999999999999999999h, STAGE_DURATION, false",
      "9223372036854775807h, STAGE_DURATION, false",
      "-5m, STAGE_DURATION, false",
      "5 minutes, STAGE_DURATION, false",
      "0s, GUARD_TIMEOUT, false",
      "10m, GUARD_TIMEOUT, true",
      "25h, COMPARE_TIMEOUT, false",
  })
  void bounds(String value, String bounds, boolean accepted) throws Exception {
    DurationRules.Bounds b = (DurationRules.Bounds) DurationRules.class.getField(bounds).get(null);
    List<String> errors = new ArrayList<>();
    DurationRules.check("spec.x", value, b, errors);
    assertThat(errors.isEmpty()).as(String.valueOf(errors)).isEqualTo(accepted);
    errors.forEach(e -> assertThat(e).startsWith("spec.x: "));
  }

  @Test
  @DisplayName("given numbers too large for a Duration, then parse says 'not a duration' instead of throwing")
  void overflowIsNotADuration() {
    assertThat(Durations.parse("99999999999999999999h")).isEmpty();
    assertThat(Durations.parse("9223372036854775807h")).isEmpty();
    assertThat(Durations.parse("9223372036854775807ms")).isPresent();
    assertThat(Durations.format(java.time.Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(Durations.format(java.time.Duration.ofMillis(500))).isEqualTo("500ms");
  }

  private static List<String> migrationErrors(Consumer<DataMigrations> change, Consumer<dev.stagegate.api.migration.DataMigration> edit) {
    DataMigrations spec = DataMigrations.members2025("ns");
    change.accept(spec);
    dev.stagegate.api.migration.DataMigration migration = spec.build();
    edit.accept(migration);
    return MigrationValidator.validate(migration);
  }

  @Test
  @DisplayName("given a DataMigration with an out-of-range duration or an unusable Prometheus URL, then the validator names each field")
  void migrationFields() {
    List<String> errors = migrationErrors(d -> d.guardMax("slow", dev.stagegate.api.migration.DatabaseSide.source, "select 1", 1),
        m -> {
          m.getSpec().getGuards().get(m.getSpec().getGuards().size() - 1).getSql().setTimeout("0s");
          m.getSpec().getVerify().forEach(v -> v.setInterval("0s"));
          m.getSpec().setPrometheus(new dev.stagegate.api.common.PrometheusSource("http://:9090", null));
        });
    assertThat(errors).anySatisfy(e -> assertThat(e).startsWith("spec.guards[").contains("].sql.timeout: 0s is outside 1s to 10m"))
        .anySatisfy(e -> assertThat(e).startsWith("spec.verify[0].interval: 0s is outside 500ms to 1h"))
        .anySatisfy(e -> assertThat(e).startsWith("spec.prometheus.url: needs a host name"));
  }
}
