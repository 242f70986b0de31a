package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.OperatorSettings;
import dev.stagegate.api.common.Approval;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.KeyCollation;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.Partition;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.api.migration.VerifyStatus;
import dev.stagegate.datacompare.Key;
import dev.stagegate.testing.DataMigrations;
import dev.stagegate.testing.GatedMetrics;
import dev.stagegate.testing.MariaDbServer;
import dev.stagegate.testing.MigrationHarness;
import dev.stagegate.testing.PostgresServer;
import dev.stagegate.testing.TypedKeyLoader;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * DataMigrations partitioned by a text key and by a composite (country, number) key, from PostgreSQL (ICU English
 * collation) to MariaDB (utf8mb4_general_ci / unicode_ci): collations that order and match these keys differently.
 * Boundaries, the loader Jobs' ranges, verify and undo all follow one order (code points), so a clean pilot
 * verifies with no difference and a damaged stage shows exactly the seeded differences, nothing else. Jobs are
 * played by the sandbox's FakeJobRunner running {@link TypedKeyLoader}; each tier provides the client.
 */
@Tag("postgres")
@Tag("mariadb")
public abstract class TypedKeyMigrationScenarios {
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final String NAME = "members-typed";
  private static final String PASSWORD = "Tk9-never-shown-2Qa";
  private static final AtomicInteger RUN = new AtomicInteger();
  /** Distinct under case- and accent-insensitive collations; ICU and code points order them differently. */
  private static final List<String> PREFIXES = List.of("a b-", "M-", "n-", "z-", "Å-", "Ö-", "İ-", "Ω-", "x'y-", "😀-");
  private static final List<String> COUNTRIES = List.of("AT", "be", "de", "NL", "Öst", "ÅX", "ch", "fr");
  private static MariaDbServer maria;

  private MigrationHarness harness;
  private TypedKeyLoader loader;
  private String pgDatabase;
  private String targetTable;

  protected abstract KubernetesClient client();

  protected abstract OperatorSettings settings();

  @BeforeAll
  static void startMariaDb() {
    maria = MariaDbServer.start();
  }

  @AfterAll
  static void stopMariaDb() {
    if (maria != null) {
      maria.close();
    }
  }

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  // ----- data

  private static String textKey(int i) {
    return PREFIXES.get(i % PREFIXES.size()) + (i * 7919L % 100_003);
  }

  /** A fresh PostgreSQL source database and MariaDB target table, a harness with Secrets for both. */
  private void given(String sourceDdl, String targetDdl, String sourceTable, List<String> keys, List<List<Object>> rows)
      throws SQLException {
    int run = RUN.incrementAndGet();
    pgDatabase = "typed_" + ProcessHandle.current().pid() + "_" + run;
    targetTable = "members_" + ProcessHandle.current().pid() + "_" + run;
    PostgresServer.createDatabase(pgDatabase);
    try (Connection c = PostgresServer.connect(pgDatabase); Statement st = c.createStatement()) {
      st.execute(sourceDdl);
      insert(c, sourceTable, keys, rows);
    }
    try (Connection c = maria.connect(); Statement st = c.createStatement()) {
      st.execute(targetDdl.replace("TARGET", targetTable));
    }
    loader = new TypedKeyLoader(
        new TypedKeyLoader.Table(PostgresServer.jdbcUrl(pgDatabase), "postgres", "", sourceTable, keys, "full_name"),
        new TypedKeyLoader.Table(maria.jdbcUrl(), maria.user(), maria.password(), targetTable, keys, "full_name"));
    String namespace = "typed-" + ProcessHandle.current().pid() % 10_000 + "-" + run;
    harness = new MigrationHarness(client(), namespace, settings(), new GatedMetrics().value(0), loader).start();
    harness.databaseSecret("legacy-members-db", PostgresServer.jdbcUrl(pgDatabase), "postgres", PASSWORD);
    harness.databaseSecret("portal-db", maria.jdbcUrl(), maria.user(), maria.password());
  }

  private static void insert(Connection c, String table, List<String> keys, List<List<Object>> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + String.join(", ", keys)
        + ", full_name) VALUES (" + "?, ".repeat(keys.size()) + "?)")) {
      for (List<Object> row : rows) {
        for (int i = 0; i < row.size(); i++) {
          ps.setObject(i + 1, row.get(i));
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private long targetRows() throws SQLException {
    try (Connection c = maria.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + targetTable)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Stages pilot 10% and full 100%, one compare check of full_name over the same key; fails at the first mismatch. */
  private DataMigration migration(String table, String key, List<String> thenBy, KeyCollation collation) {
    DataMigration m = DataMigrations.named(NAME, "portal")
        .worker(DataMigrations.job("loader", List.of()))
        .undo(DataMigrations.job("undo", List.of()))
        .stage("pilot", 10).stage("full", 100)
        .compare("members-match", table, targetTable, List.of("full_name"), 0, 1)
        .build();
    Partition partition = new Partition(table, key);
    partition.setThenBy(thenBy);
    partition.setCollation(collation);
    m.getSpec().setPartition(partition);
    m.getSpec().getVerify().get(0).getCompare().setKey(key);
    m.getSpec().getVerify().get(0).getCompare().setThenBy(thenBy);
    return m;
  }

  private static List<String> texts(Set<Key> keys) {
    return keys.stream().map(Key::toString).toList();
  }

  private static VerifyStatus check(DataMigration m) {
    return m.getStatus().getVerify().stream().filter(v -> "members-match".equals(v.getName())).findFirst().orElseThrow();
  }

  // ----- scenarios

  @Test
  @DisplayName("given text member numbers (ICU en on PostgreSQL, utf8mb4_general_ci on MariaDB) and a loader that damages the full stage, then the pilot verifies clean, verify finds exactly the seeded missing/extra/changed keys, and the undo Jobs empty the target over the typed ranges")
  void textKeysSeededDifferencesAndUndo() throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    TreeSet<Key> sorted = new TreeSet<>();
    for (int i = 0; i < 3_000; i++) {
      rows.add(List.of(textKey(i), "member " + i));
      sorted.add(Key.of(textKey(i)));
    }
    given("CREATE TABLE members_text (member_no varchar(40) COLLATE \"en-x-icu\" PRIMARY KEY, full_name text)",
        "CREATE TABLE TARGET (member_no VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci PRIMARY KEY,"
            + " full_name TEXT)", "members_text", List.of("member_no"), rows);
    // keys of the full stage (code points: the pilot's 10% are the first 300 keys in code-point order)
    List<Key> inFull = new ArrayList<>(sorted).subList(300, 3_000);
    TreeSet<Key> missing = new TreeSet<>(List.of(inFull.get(5), inFull.get(700), inFull.get(1_400), inFull.get(2_699)));
    TreeSet<Key> changed = new TreeSet<>(List.of(inFull.get(6), inFull.get(800), inFull.get(1_500), inFull.get(2_000),
        inFull.get(2_698)));
    TreeSet<Key> extra = new TreeSet<>(List.of(Key.of("😀-extra-1"), Key.of("Ω-extra-2"), Key.of("z-extra-3")));
    loader.damage("full", parts(missing), parts(changed),
        extra.stream().map(k -> List.<Object>of(k.part(0), "invented")).toList());

    harness.apply(migration("members_text", "member_no", null, KeyCollation.Binary));

    DataMigration done = harness.awaitPhase(NAME, MigrationPhase.RolledBack, WAIT);
    List<StageProgress> stages = done.getStatus().getStages();
    assertThat(stages.get(0).getFromKey()).isEqualTo(sorted.first().toString());
    assertThat(stages.get(0).getToKey()).as("pilot ends at row 301 in code-point order")
        .isEqualTo(new ArrayList<>(sorted).get(300).toString());
    assertThat(stages.get(0).getKeyFrom()).isNull();
    assertThat(stages.get(0).getRows()).isEqualTo(300);
    assertThat(stages.get(1).getToKey()).as("the last stage runs to the end").isNull();
    assertThat(stages.get(1).getRows()).isEqualTo(2_700);
    harness.awaitEvents(NAME, WAIT, "StageVerified", "VerifyCheckFailed", "RolledBack");

    VerifyStatus failed = check(done);
    assertThat(failed.getStage()).isEqualTo("full");
    assertThat(failed.getResult()).isEqualTo(CheckResult.Fail);
    assertThat(failed.getMissing()).isEqualTo(4);
    assertThat(failed.getExtra()).isEqualTo(3);
    assertThat(failed.getChanged()).isEqualTo(5);
    assertThat(failed.getMissingKeys()).containsExactlyElementsOf(texts(missing));
    assertThat(failed.getExtraKeys()).containsExactlyElementsOf(texts(extra));
    assertThat(failed.getChangedKeys()).containsExactlyElementsOf(texts(changed));
    assertThat(failed.getMissingSamples()).isEmpty();

    assertThat(loader.started()).containsExactly(NAME + "-pilot-load", NAME + "-full-load", NAME + "-full-undo",
        NAME + "-pilot-undo");
    Map<String, String> pilot = loader.environment(NAME + "-pilot-undo");
    assertThat(pilot).containsEntry("STAGEGATE_KEY_FROM", stages.get(0).getFromKey())
        .containsEntry("STAGEGATE_KEY_TO", stages.get(0).getToKey()).containsEntry("STAGEGATE_KEY_TO_OPEN", "false")
        .containsEntry("STAGEGATE_KEY_COLUMNS", "member_no");
    assertThat(loader.environment(NAME + "-full-load")).containsEntry("STAGEGATE_KEY_TO", "")
        .containsEntry("STAGEGATE_KEY_TO_OPEN", "true");
    assertThat(targetRows()).as("every loaded row undone").isZero();
    assertThat(done.getStatus().getRollback().getChecks()).singleElement()
        .satisfies(v -> assertThat(v.getResult()).isEqualTo(CheckResult.Pass));
  }

  @Test
  @DisplayName("given the full stage loads in parallel (Indexed Job, parallelism 3) and one pod's range is damaged, then each pod loads its row-quantile sub-range, the compare runs part by part with at most 2 connections a side and finds exactly the seeded differences, and the undo empties the target")
  void parallelLoadAndCompare() throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    TreeSet<Key> sortedSet = new TreeSet<>();
    for (int i = 0; i < 3_000; i++) {
      rows.add(List.of(textKey(i), "member " + i));
      sortedSet.add(Key.of(textKey(i)));
    }
    List<Key> sorted = new ArrayList<>(sortedSet);
    given("CREATE TABLE members_text (member_no varchar(40) COLLATE \"en-x-icu\" PRIMARY KEY, full_name text)",
        "CREATE TABLE TARGET (member_no VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci PRIMARY KEY,"
            + " full_name TEXT)", "members_text", List.of("member_no"), rows);
    TreeSet<Key> missing = new TreeSet<>(List.of(sorted.get(1_199), sorted.get(1_200), sorted.get(2_999)));
    TreeSet<Key> changed = new TreeSet<>(List.of(sorted.get(301), sorted.get(2_100)));
    TreeSet<Key> extra = new TreeSet<>(List.of(Key.of("😀-extra-1")));
    loader.damage("full", parts(missing), parts(changed),
        extra.stream().map(k -> List.<Object>of(k.part(0), "invented")).toList());
    DataMigration m = migration("members_text", "member_no", null, KeyCollation.Binary);
    m.getSpec().getStages().get(1).setParallelism(3);
    m.getSpec().getVerify().get(0).getCompare().setMaxConnections(2);

    harness.apply(m);

    DataMigration done = harness.awaitPhase(NAME, MigrationPhase.RolledBack, WAIT);
    StageProgress full = done.getStatus().getStages().get(1);
    assertThat(full.getParts()).as("sub-ranges of 900 rows each").containsExactly(sorted.get(1_200).toString(),
        sorted.get(2_100).toString());
    assertThat(loader.started()).contains(NAME + "-full-load#0", NAME + "-full-load#1", NAME + "-full-load#2")
        .doesNotContain(NAME + "-full-load");
    assertThat(loader.partRanges()).containsEntry(NAME + "-full-load#0", List.of(sorted.get(300).part(0)) + ".."
        + List.of(sorted.get(1_200).part(0))).containsEntry(NAME + "-full-load#2", List.of(sorted.get(2_100).part(0)) + "..null");
    assertThat(loader.environment(NAME + "-full-load#1")).containsEntry("STAGEGATE_PARTS", "3");
    assertThat(harness.jobs()).filteredOn(j -> j.getMetadata().getName().equals(NAME + "-full-load")).singleElement()
        .satisfies(j -> {
          assertThat(j.getSpec().getCompletionMode()).isEqualTo("Indexed");
          assertThat(j.getSpec().getCompletions()).isEqualTo(3);
          assertThat(j.getSpec().getParallelism()).isEqualTo(3);
        });
    VerifyStatus failed = check(done);
    assertThat(failed.getStage()).isEqualTo("full");
    assertThat(failed.getMessage()).contains("compared in 4 parts, at most 2 connections a side");
    assertThat(failed.getMissingKeys()).containsExactlyElementsOf(texts(missing));
    assertThat(failed.getChangedKeys()).containsExactlyElementsOf(texts(changed));
    assertThat(failed.getExtraKeys()).containsExactlyElementsOf(texts(extra));
    assertThat(targetRows()).isZero();
  }

  private static Set<List<Object>> parts(Set<Key> keys) {
    Set<List<Object>> out = new java.util.HashSet<>();
    for (Key k : keys) {
      List<Object> parts = new ArrayList<>();
      for (int i = 0; i < k.size(); i++) {
        parts.add(k.part(i));
      }
      out.add(parts);
    }
    return out;
  }

  @Test
  @DisplayName("given a composite (country, number) key (ICU en vs utf8mb4_unicode_ci), then stages end at exact code-point row quantiles, each Job gets its bounds as JSON arrays, an operator restart at the Manual pilot keeps the same boundaries, and the migration succeeds with every row compared")
  void compositeKeysMigrate() throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    TreeSet<Key> sorted = new TreeSet<>();
    for (int i = 0; i < 2_400; i++) {
      String country = COUNTRIES.get(i % COUNTRIES.size());
      long number = i * 31L % 10_007;
      rows.add(List.of(country, number, "member " + i));
      sorted.add(Key.of(country, number));
    }
    given("CREATE TABLE members_cc (country varchar(8) COLLATE \"en-x-icu\", member_no bigint, full_name text,"
            + " PRIMARY KEY (country, member_no))",
        "CREATE TABLE TARGET (country VARCHAR(8) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci, member_no BIGINT,"
            + " full_name TEXT, PRIMARY KEY (country, member_no))", "members_cc", List.of("country", "member_no"), rows);

    DataMigration m = migration("members_cc", "country", List.of("member_no"), KeyCollation.Binary);
    m.getSpec().getStages().get(0).setApproval(Approval.Manual);
    harness.apply(m);

    // when the operator restarts while the verified pilot waits for approval
    DataMigration waiting = harness.awaitPause(NAME, "AwaitingApproval", WAIT);
    List<String> fixed = waiting.getStatus().getStages().stream().map(s -> s.getFromKey() + " " + s.getToKey()).toList();
    harness.stopOperator();
    harness.startOperator();
    harness.annotate(NAME, "approve");

    DataMigration done = harness.awaitPhase(NAME, MigrationPhase.Succeeded, WAIT);
    List<StageProgress> stages = done.getStatus().getStages();
    assertThat(stages).extracting(s -> s.getFromKey() + " " + s.getToKey()).as("the same boundaries after the restart")
        .containsExactlyElementsOf(fixed);
    assertThat(loader.started()).containsExactly(NAME + "-pilot-load", NAME + "-full-load");
    String pilotEnd = new ArrayList<>(sorted).get(240).toString();
    assertThat(pilotEnd).startsWith("[\"");
    assertThat(stages).extracting(StageProgress::getFromKey, StageProgress::getToKey, StageProgress::getRows)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(sorted.first().toString(), pilotEnd, 240L),
            org.assertj.core.groups.Tuple.tuple(pilotEnd, null, 2_160L));
    assertThat(loader.environment(NAME + "-pilot-load")).containsEntry("STAGEGATE_KEY_FROM", sorted.first().toString())
        .containsEntry("STAGEGATE_KEY_TO", pilotEnd).containsEntry("STAGEGATE_KEY_COLUMNS", "country,member_no");
    VerifyStatus last = check(done);
    assertThat(last.getResult()).isEqualTo(CheckResult.Pass);
    assertThat(last.getSourceRows()).isEqualTo(2_400);
    assertThat(last.getTargetRows()).isEqualTo(2_400);
    assertThat(last.getFromKey()).isEqualTo(sorted.first().toString());
    assertThat(targetRows()).isEqualTo(2_400);
  }

  @Test
  @DisplayName("given a text key and no declared collation, then the migration is Failed (InvalidSpec) naming spec.partition.collation, and no Job ran")
  void textKeyNeedsACollation() throws SQLException {
    given("CREATE TABLE members_text (member_no varchar(40) COLLATE \"en-x-icu\" PRIMARY KEY, full_name text)",
        "CREATE TABLE TARGET (member_no VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci PRIMARY KEY,"
            + " full_name TEXT)", "members_text", List.of("member_no"), List.of(List.of("M-1", "member 1")));

    harness.apply(migration("members_text", "member_no", null, null));

    DataMigration failed = harness.awaitPhase(NAME, MigrationPhase.Failed, WAIT);
    assertThat(failed.getStatus().getFailureReason()).isEqualTo("InvalidSpec");
    assertThat(failed.getStatus().getMessage()).contains("spec.partition.collation", "member_no", "Binary");
    assertThat(failed.getStatus().getStages()).isEmpty();
    assertThat(loader.started()).isEmpty();
    assertThat(targetRows()).isZero();
  }

  @Test
  @DisplayName("given a target key of raw bytes (VARBINARY) that no text order can be agreed on, then InvalidSpec names spec.verify[0].compare.key and nothing is written")
  void bytesKeyIsRefused() throws SQLException {
    given("CREATE TABLE members_text (member_no varchar(40) COLLATE \"en-x-icu\" PRIMARY KEY, full_name text)",
        "CREATE TABLE TARGET (member_no VARBINARY(40) PRIMARY KEY, full_name TEXT)", "members_text",
        List.of("member_no"), List.of(List.of("M-1", "member 1")));

    harness.apply(migration("members_text", "member_no", null, KeyCollation.Binary));

    DataMigration failed = harness.awaitPhase(NAME, MigrationPhase.Failed, WAIT);
    assertThat(failed.getStatus().getFailureReason()).isEqualTo("InvalidSpec");
    assertThat(failed.getStatus().getMessage()).contains("spec.verify[0].compare.key", "member_no");
    assertThat(loader.started()).isEmpty();
  }
}
