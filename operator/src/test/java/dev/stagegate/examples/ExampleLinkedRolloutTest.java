package dev.stagegate.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.LinkPolicy;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.release.Release;
import dev.stagegate.link.LinkView;
import dev.stagegate.link.LinkViews;
import dev.stagegate.migration.plan.MigrationValidator;
import dev.stagegate.release.plan.ReleaseValidator;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ExampleLinkedRolloutTest {
  private static final String FILE = "release-with-migration.yaml";

  @Test
  @DisplayName("given examples/release-with-migration.yaml, then both documents pass the operator's validation and each finds the other as one RollBackBoth link with the gates as commented")
  void bothDocumentsAreValidAndLinked() {
    Release release = Examples.release(FILE);
    DataMigration migration = Examples.migration(FILE);

    assertThat(ReleaseValidator.validate(release)).isEmpty();
    assertThat(MigrationValidator.validate(migration)).isEmpty();
    assertThat(release.getSpec().getGates()).extracting(g -> g.getStage() + " " + g.getDataMigration() + " " + g.getUntil().describe())
        .containsExactly("1 members-2025 stage 0 done", "2 members-2025 phase Succeeded");
    assertThat(migration.getSpec().getGates()).extracting(g -> g.getStage() + " " + g.getRelease() + " " + g.getUntil().describe())
        .containsExactly("1 portal stage 0 done");

    List<LinkView> fromRelease = LinkViews.forRelease(release, List.of(migration));
    List<LinkView> fromMigration = LinkViews.forMigration(migration, List.of(release));
    assertThat(fromRelease).extracting(LinkView::resource, LinkView::policy)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("DataMigration/members-2025", LinkPolicy.RollBackBoth));
    assertThat(fromMigration).extracting(LinkView::resource, LinkView::policy)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Release/portal", LinkPolicy.RollBackBoth));
  }
}
