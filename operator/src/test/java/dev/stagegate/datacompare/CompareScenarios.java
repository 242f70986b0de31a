package dev.stagegate.datacompare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Comparison scenarios every engine must pass, both tables in the same database. Subclasses start the
 * database and give its member-table DDL.
 */
abstract class CompareScenarios {

  private static final AtomicInteger TABLES = new AtomicInteger();

  abstract ConnectionSource db();

  /** DDL for a members table: member_id bigint key, full_name, email, plan_code, enrolled_on date. */
  abstract String membersDdl(String table);

  /** The hash mode this engine pair must use. */
  abstract ChecksumMode expectedMode();

  CompareOptions options() {
    return CompareOptions.defaults();
  }

  DataComparer comparer() {
    return new DataComparer(options(), Clock.systemUTC());
  }

  String newMembersTable(List<List<Object>> rows) {
    String table = "members_" + TABLES.incrementAndGet();
    TestDb.exec(db(), membersDdl(table));
    TestDb.insert(db(), table, MemberData.COLUMNS, rows);
    return table;
  }

  TableSide source(String table) {
    return TableSide.source(db(), table, "member_id", MemberData.COLUMNS);
  }

  TableSide target(String table) {
    return TableSide.target(db(), table, "member_id", MemberData.COLUMNS);
  }

  @Test
  @DisplayName("identical tables: no differences, both row counts reported")
  void identicalTables() {
    // given two tables with the same 5,000 members
    String a = newMembersTable(MemberData.sequential(1, 5001));
    String b = newMembersTable(MemberData.sequential(1, 5001));

    // when they are compared
    ComparisonResult result = comparer().compare(source(a), target(b), KeyRange.all());

    // then nothing differs
    assertThat(result.identical()).as(result.summary()).isTrue();
    assertThat(result.sourceRows()).isEqualTo(5000);
    assertThat(result.targetRows()).isEqualTo(5000);
    assertThat(result.mode()).isEqualTo(expectedMode());
    assertThat(result.queries()).isPositive();
  }

  @Test
  @DisplayName("missing, extra and changed rows are counted and their keys reported")
  void missingExtraChanged() {
    // given a source of 20,000 members and a target that lacks 2, has 2 more and 3 changed
    List<List<Object>> rows = MemberData.sequential(1, 20_001);
    String a = newMembersTable(rows);
    List<List<Object>> damaged = new ArrayList<>(rows);
    damaged.removeIf(r -> (Long) r.get(0) == 77 || (Long) r.get(0) == 15_000);
    damaged.add(MemberData.member(20_005));
    damaged.add(MemberData.member(0));
    damaged.replaceAll(r -> switch (((Long) r.get(0)).intValue()) {
      case 5 -> MemberData.member(5, "Someone Else", "member5@example.org", "BASIC", (java.time.LocalDate) r.get(4));
      case 9_999 -> MemberData.member(9_999, (String) r.get(1), "typo@example.org", (String) r.get(3), (java.time.LocalDate) r.get(4));
      case 19_999 -> MemberData.member(19_999, (String) r.get(1), (String) r.get(2), (String) r.get(3), null);
      default -> r;
    });
    String b = newMembersTable(damaged);

    // when compared
    ComparisonResult result = comparer().compare(source(a), target(b), KeyRange.all());

    // then each kind of difference is found with exactly its keys
    assertThat(result.sourceRows()).isEqualTo(20_000);
    assertThat(result.targetRows()).isEqualTo(20_000);
    assertThat(result.missingSamples()).containsExactly(77L, 15_000L);
    assertThat(result.extraSamples()).containsExactly(0L, 20_005L);
    assertThat(result.changedSamples()).containsExactly(5L, 9_999L, 19_999L);
    assertThat(result.missing()).isEqualTo(2);
    assertThat(result.extra()).isEqualTo(2);
    assertThat(result.changed()).isEqualTo(3);
    assertThat(result.mismatches()).isEqualTo(7);
  }

  @Test
  @DisplayName("NULL and the empty string are different values; NULL equals NULL")
  void nullVersusEmptyString() {
    // given a row whose name is NULL in the source and '' in the target, and a row NULL on both sides
    String a = newMembersTable(List.of(
        MemberData.member(1, null, "a@example.org", "BASIC", null),
        MemberData.member(2, null, "b@example.org", "BASIC", null)));
    String b = newMembersTable(List.of(
        MemberData.member(1, "", "a@example.org", "BASIC", null),
        MemberData.member(2, null, "b@example.org", "BASIC", null)));

    // when compared
    ComparisonResult result = comparer().compare(source(a), target(b), KeyRange.all());

    // then only the NULL-vs-'' row is changed
    assertThat(result.changedSamples()).containsExactly(1L);
    assertThat(result.changed()).isEqualTo(1);
  }

  @Test
  @DisplayName("a value moved between adjacent text columns is a change (no ambiguous row encoding)")
  void separatorInsideValues() {
    // given 'a|b','c' in the source and 'a','b|c' in the target
    String a = newMembersTable(List.of(MemberData.member(1, "a|b", "c", "BASIC", null)));
    String b = newMembersTable(List.of(MemberData.member(1, "a", "b|c", "BASIC", null)));

    // when compared, then the row is changed
    assertThat(comparer().compare(source(a), target(b), KeyRange.all()).changedSamples()).containsExactly(1L);
  }

  @Test
  @DisplayName("on seeded random data the reported keys are exactly the brute-force differences, at every tuning")
  void randomDataAgreesWithBruteForce() {
    for (long seed = 1; seed <= 3; seed++) {
      // given random sparse keys and a target damaged by a seeded generator
      List<List<Object>> rows = MemberData.random(seed, 4_000, 40_000);
      String a = newMembersTable(rows);
      String b = newMembersTable(MemberData.damaged(rows, seed * 31, 40, 40, 60, 40_000));
      BruteForceDiff expected = BruteForceDiff.of(TestDb.read(db(), a, "member_id"), TestDb.read(db(), b, "member_id"), KeyRange.all());

      for (CompareOptions tuning : List.of(
          options().withSampleLimit(100_000),
          options().withSampleLimit(100_000).withBisectionFactor(4).withRowThreshold(16).withFirstLevelSegments(4),
          options().withSampleLimit(100_000).withBisectionFactor(2).withRowThreshold(1).withFirstLevelSegments(2).withMaxRangesPerQuery(1),
          options().withSampleLimit(100_000).withBisectionFactor(32).withRowThreshold(100).withFirstLevelSegments(32))) {
        // when compared with that tuning
        ComparisonResult result = new DataComparer(tuning, Clock.systemUTC()).compare(source(a), target(b), KeyRange.all());

        // then the keys are exactly those of the brute-force diff
        String context = "seed " + seed + ", " + tuning;
        assertThat(result.missingSamples()).as(context).containsExactlyElementsOf(expected.missing());
        assertThat(result.extraSamples()).as(context).containsExactlyElementsOf(expected.extra());
        assertThat(result.changedSamples()).as(context).containsExactlyElementsOf(expected.changed());
        assertThat(result.missing() + result.extra() + result.changed()).as(context)
            .isEqualTo(expected.missing().size() + expected.extra().size() + expected.changed().size());
      }
    }
  }

  @Test
  @DisplayName("only the sample limit's smallest keys are reported, but every difference is counted")
  void samplesAreTheSmallestKeys() {
    // given a target missing 50 rows
    List<List<Object>> rows = MemberData.sequential(1, 3001);
    String a = newMembersTable(rows);
    String b = newMembersTable(rows.stream().filter(r -> (Long) r.get(0) % 60 != 0).toList());

    // when compared with the default sample limit of 10
    ComparisonResult result = comparer().compare(source(a), target(b), KeyRange.all());

    // then all 50 are counted and the 10 smallest keys reported
    assertThat(result.missing()).isEqualTo(50);
    assertThat(result.missingSamples()).containsExactly(60L, 120L, 180L, 240L, 300L, 360L, 420L, 480L, 540L, 600L);
  }

  @Test
  @DisplayName("a key range restricts counts and differences to [from, to)")
  void keyRange() {
    // given differences at keys 10, 500 and 999 and 1000
    List<List<Object>> rows = MemberData.sequential(1, 2001);
    String a = newMembersTable(rows);
    String b = newMembersTable(rows.stream()
        .filter(r -> !List.of(10L, 500L, 999L, 1000L).contains((Long) r.get(0))).toList());

    // when only keys [500, 1000) are compared
    ComparisonResult result = comparer().compare(source(a), target(b), KeyRange.of(500, 1000));

    // then only 500 and 999 are reported, and the counts cover that range only
    assertThat(result.missingSamples()).containsExactly(500L, 999L);
    assertThat(result.sourceRows()).isEqualTo(500);
    assertThat(result.targetRows()).isEqualTo(498);
    assertThat(result.range()).isEqualTo(KeyRange.of(500, 1000));
  }

  @Test
  @DisplayName("an empty range on both sides is identical with zero rows")
  void emptyRange() {
    String a = newMembersTable(MemberData.sequential(1, 100));
    ComparisonResult result = comparer().compare(source(a), target(a), KeyRange.of(1000, 2000));
    assertThat(result.identical()).isTrue();
    assertThat(result.sourceRows()).isZero();
    assertThat(result.targetRows()).isZero();
  }

  @Test
  @DisplayName("rows in the target where the source has none at all are extra (the test-data disaster)")
  void targetRowsBeyondTheSource() {
    // given a target that also holds 3,000 test rows above the source's keys
    String a = newMembersTable(MemberData.sequential(1, 1001));
    String b = newMembersTable(MemberData.sequential(1, 4001));

    // when compared
    ComparisonResult result = comparer().compare(source(a), target(b), KeyRange.all());

    // then all 3,000 are extra, smallest first
    assertThat(result.extra()).isEqualTo(3000);
    assertThat(result.extraSamples()).startsWith(1001L, 1002L).hasSize(10);
    assertThat(result.missing() + result.changed()).isZero();

    // and the same with coarse buckets, where whole buckets exist on the target only and are counted, not read
    ComparisonResult coarse = new DataComparer(options().withFirstLevelSegments(4), Clock.systemUTC())
        .compare(source(a), target(b), KeyRange.all());
    assertThat(coarse.extra()).isEqualTo(3000);
    assertThat(coarse.extraSamples()).isEqualTo(result.extraSamples());
    assertThat(coarse.rowsFetched()).isLessThan(3000);
  }

  @Test
  @DisplayName("expect-empty (rollback) reports every target row in the range as extra")
  void expectEmpty() {
    // given a target with rows 1..300
    String b = newMembersTable(MemberData.sequential(1, 301));

    // when the range [100, 200) is expected empty, and [1000, 2000) too
    ComparisonResult dirty = comparer().expectEmpty(target(b), KeyRange.of(100, 200));
    ComparisonResult clean = comparer().expectEmpty(target(b), KeyRange.of(1000, 2000));

    // then the first has 100 extra rows from key 100 on, the second none
    assertThat(dirty.extra()).isEqualTo(100);
    assertThat(dirty.targetRows()).isEqualTo(100);
    assertThat(dirty.extraSamples()).startsWith(100L, 101L).hasSize(10);
    assertThat(clean.identical()).isTrue();
  }

  @Test
  @DisplayName("a full checksum is equal for the same data and differs after one change")
  void fullChecksum() {
    // given two tables with the same rows and a third with one row changed
    List<List<Object>> rows = MemberData.sequential(1, 1001);
    String a = newMembersTable(rows);
    String b = newMembersTable(rows);
    List<List<Object>> changed = new ArrayList<>(rows);
    changed.set(500, MemberData.member(501, "Changed", "x@example.org", "PLUS", null));
    String c = newMembersTable(changed);

    // when each is checksummed
    TableChecksum ca = comparer().checksum(source(a), KeyRange.all());
    TableChecksum cb = comparer().checksum(source(b), KeyRange.all());
    TableChecksum cc = comparer().checksum(source(c), KeyRange.all());

    // then the same data gives the same checksum, and the change is seen
    assertThat(ca.rows()).isEqualTo(1000);
    assertThat(ca.sameDataAs(cb)).isTrue();
    assertThat(ca.sameDataAs(cc)).isFalse();
    assertThat(ca.checksum()).matches("[0-9a-f]{16}");
    // and restricted to a range without the change they agree again
    assertThat(comparer().checksum(source(a), KeyRange.of(1, 500))
        .sameDataAs(comparer().checksum(source(c), KeyRange.of(1, 500)))).isTrue();
  }

  @Test
  @DisplayName("an unknown column fails with a message naming the column and the side")
  void unknownColumn() {
    String a = newMembersTable(MemberData.sequential(1, 10));
    TableSide badTarget = TableSide.target(db(), a, "member_id", List.of("member_id", "full_name", "emial", "plan_code", "enrolled_on"));

    assertThatThrownBy(() -> comparer().compare(source(a), badTarget, KeyRange.all()))
        .isInstanceOf(DataCompareException.class)
        .hasMessageContaining("target")
        .hasMessageContaining("'emial'")
        .hasMessageContaining("email"); // the columns it does have
  }

  @Test
  @DisplayName("an unknown table fails with a message naming the table and the side")
  void unknownTable() {
    String a = newMembersTable(MemberData.sequential(1, 10));
    assertThatThrownBy(() -> comparer().compare(source("no_such_members"), target(a), KeyRange.all()))
        .isInstanceOf(DataCompareException.class)
        .hasMessageContaining("source")
        .hasMessageContaining("'no_such_members' not found");
  }

  @Test
  @DisplayName("a text key column: the same members keyed by e-mail, one address changed, found by its key")
  void textKey() {
    // given members keyed by e-mail in both tables, one row's plan changed on the target
    List<List<Object>> rows = MemberData.sequential(1, 3001);
    String a = newMembersTable(rows);
    List<List<Object>> damaged = new ArrayList<>(rows);
    int planColumn = MemberData.COLUMNS.indexOf("plan_code");
    List<Object> changed = new ArrayList<>(damaged.get(1233));
    changed.set(planColumn, "CHANGED");
    damaged.set(1233, changed);
    String b = newMembersTable(damaged);
    int emailColumn = MemberData.COLUMNS.indexOf("email");

    // when compared by e-mail instead of member id
    ComparisonResult result = new DataComparer(options().withRowThreshold(16).withBisectionFactor(4), Clock.systemUTC())
        .compare(TableSide.source(db(), a, "email", MemberData.COLUMNS), TableSide.target(db(), b, "email", MemberData.COLUMNS),
            KeyRange.all());

    // then exactly that member's address is reported
    assertThat(result.samples().changed()).containsExactly(Key.of(changed.get(emailColumn)));
    assertThat(result.missing() + result.extra()).isZero();
  }

  @Test
  @DisplayName("a text key on one side and an integer key on the other are refused, naming both columns")
  void mismatchedKeyKindsRefused() {
    String a = newMembersTable(MemberData.sequential(1, 10));
    TableSide byName = TableSide.source(db(), a, "full_name", MemberData.COLUMNS);
    assertThatThrownBy(() -> comparer().compare(byName, target(a), KeyRange.all()))
        .isInstanceOf(DataCompareException.class)
        .hasMessageContaining("key column 1 cannot be matched: source 'full_name'")
        .hasMessageContaining("target 'member_id'");
  }
}
