package dev.stagegate.datacompare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.stagegate.testing.MariaDbServer;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Text, UUID, date and composite keys between PostgreSQL and MariaDB whose collations order the keys
 * differently (ICU English vs utf8mb4_unicode_ci / general_ci, and binary ones): every seeded difference must
 * be found exactly, and nothing else, whatever the tuning forces the bisection to do.
 */
@Tag("postgres")
@Tag("mariadb")
@DisplayName("Comparison over text, UUID, date and composite keys across engines and collations")
class TypedKeyCompareTest {

  private static final AtomicInteger TABLES = new AtomicInteger();
  private static MariaDbServer server;

  /** Distinct under case- and accent-insensitive collations, and ordered differently by each engine. */
  private static final List<String> PREFIXES = List.of("M-", "a b-", "n-", "z-", "Å-", "Ö-", "İ-", "Ω-", "😀-", "x\\y'-");

  @BeforeAll
  static void startMariaDb() {
    server = MariaDbServer.start();
  }

  @AfterAll
  static void stopMariaDb() {
    if (server != null) {
      server.close();
    }
  }

  private static ConnectionSource postgres() {
    return SharedPostgres.database();
  }

  private static ConnectionSource mariadb() {
    return new JdbcTarget(server.jdbcUrl(), server.user(), server.password());
  }

  private static String table(String base) {
    return base + "_" + TABLES.incrementAndGet();
  }

  /** Deep bisection: tiny segments and thresholds so every level and split path runs on a few thousand rows. */
  private static List<CompareOptions> tunings() {
    CompareOptions all = CompareOptions.defaults().withSampleLimit(100_000);
    return List.of(all,
        all.withBisectionFactor(4).withRowThreshold(16).withFirstLevelSegments(8),
        all.withBisectionFactor(2).withRowThreshold(1).withFirstLevelSegments(2).withMaxRangesPerQuery(1),
        all.withWholeRangeFirst(false).withRowThreshold(100).withFirstLevelSegments(32));
  }

  /** Source rows keyed by {@link Key}, each row the JDBC values in column order (key columns first). */
  private record Rows(TreeMap<Key, List<Object>> byKey) {
    List<List<Object>> list() {
      return new ArrayList<>(byKey.values());
    }
  }

  /** What the target got wrong, and the target's rows. */
  private record Damage(List<List<Object>> target, TreeSet<Key> missing, TreeSet<Key> extra, TreeSet<Key> changed) {}

  /**
   * Removes {@code missing} rows, adds {@code extra} new ones and changes column {@code v} of {@code changed}
   * rows, all at seeded random places.
   */
  private static Damage damage(Rows rows, long seed, int missing, int extra, int changed,
      Function<Integer, List<Object>> newRow, int keyParts) {
    Random random = new Random(seed);
    List<Key> keys = new ArrayList<>(rows.byKey().keySet());
    TreeMap<Key, List<Object>> target = new TreeMap<>(rows.byKey());
    TreeSet<Key> gone = new TreeSet<>();
    TreeSet<Key> added = new TreeSet<>();
    TreeSet<Key> edited = new TreeSet<>();
    while (gone.size() < missing) {
      Key k = keys.get(random.nextInt(keys.size()));
      if (gone.add(k)) {
        target.remove(k);
      }
    }
    while (edited.size() < changed) {
      Key k = keys.get(random.nextInt(keys.size()));
      if (!gone.contains(k) && edited.add(k)) {
        List<Object> row = new ArrayList<>(target.get(k));
        row.set(keyParts, row.get(keyParts) + "!");
        target.put(k, row);
      }
    }
    for (int i = 0; added.size() < extra; i++) {
      List<Object> row = newRow.apply(1_000_000 + random.nextInt(1_000_000) + i);
      Key k = keyOf(row, keyParts);
      if (!rows.byKey().containsKey(k) && added.add(k)) {
        target.put(k, row);
      }
    }
    return new Damage(new ArrayList<>(target.values()), gone, added, edited);
  }

  private static Key keyOf(List<Object> row, int parts) {
    Object[] values = new Object[parts];
    for (int i = 0; i < parts; i++) {
      values[i] = row.get(i);
    }
    return Key.of(values);
  }

  private static List<Object> textRow(int i) {
    String key = PREFIXES.get(i % PREFIXES.size()) + (i * 7919L % 100_003);
    return new ArrayList<>(List.of(key, "value " + i, (long) i));
  }

  private static Rows textRows(int n) {
    TreeMap<Key, List<Object>> out = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      List<Object> row = textRow(i);
      out.put(Key.of(row.get(0)), row);
    }
    return new Rows(out);
  }

  private static void assertExactly(ComparisonResult result, Damage expected) {
    String found = result.missing() + " missing, " + result.extra() + " extra, " + result.changed() + " changed";
    assertThat(result.samples().missing()).as(found).containsExactlyElementsOf(expected.missing());
    assertThat(result.samples().extra()).as(found).containsExactlyElementsOf(expected.extra());
    assertThat(result.samples().changed()).as(found).containsExactlyElementsOf(expected.changed());
    assertThat(result.missing()).isEqualTo(expected.missing().size());
    assertThat(result.extra()).isEqualTo(expected.extra().size());
    assertThat(result.changed()).isEqualTo(expected.changed().size());
  }

  private static final List<String> TEXT_COLUMNS = List.of("k", "v", "n");

  @Test
  @DisplayName("text keys, ICU English on PostgreSQL vs utf8mb4_unicode_ci on MariaDB: seeded differences found exactly, in both directions")
  void textKeysAcrossCollations() {
    // given 6,000 members keyed by text that the two collations order differently, and a damaged MariaDB copy
    Rows rows = textRows(6_000);
    Damage damage = damage(rows, 17, 7, 5, 9, TypedKeyCompareTest::textRow, 1);
    String pg = table("tk_pg");
    String maria = table("tk_maria");
    TestDb.exec(postgres(), "CREATE TABLE " + pg + " (k varchar(40) COLLATE \"en-x-icu\" PRIMARY KEY, v text, n bigint)");
    TestDb.exec(mariadb(), "CREATE TABLE " + maria + " (k VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        + " PRIMARY KEY, v TEXT, n BIGINT)");
    TestDb.insert(postgres(), pg, TEXT_COLUMNS, rows.list());
    TestDb.insert(mariadb(), maria, TEXT_COLUMNS, damage.target());

    for (CompareOptions tuning : tunings()) {
      // when compared with each tuning
      ComparisonResult result = new DataComparer(tuning, Clock.systemUTC()).compare(
          TableSide.source(postgres(), pg, "k", TEXT_COLUMNS), TableSide.target(mariadb(), maria, "k", TEXT_COLUMNS),
          KeyRange.all());

      // then exactly the seeded keys differ
      assertExactly(result, damage);
      assertThat(result.sourceRows()).isEqualTo(6_000);
      assertThat(result.targetRows()).isEqualTo(6_000 - 7 + 5);
    }

    // and the other way round, missing and extra swap
    ComparisonResult reverse = new DataComparer(tunings().get(1), Clock.systemUTC()).compare(
        TableSide.source(mariadb(), maria, "k", TEXT_COLUMNS), TableSide.target(postgres(), pg, "k", TEXT_COLUMNS),
        KeyRange.all());
    assertExactly(reverse, new Damage(List.of(), damage.extra(), damage.missing(), damage.changed()));
  }

  @Test
  @DisplayName("text keys in binary collations (PostgreSQL \"C\", MariaDB utf8mb4_nopad_bin) seek the key index and find the same differences")
  void textKeysBinaryCollations() {
    Rows rows = textRows(5_000);
    Damage damage = damage(rows, 23, 3, 4, 6, TypedKeyCompareTest::textRow, 1);
    String pg = table("tb_pg");
    String maria = table("tb_maria");
    TestDb.exec(postgres(), "CREATE TABLE " + pg + " (k text COLLATE \"C\" PRIMARY KEY, v text, n bigint)");
    TestDb.exec(mariadb(), "CREATE TABLE " + maria + " (k VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin"
        + " PRIMARY KEY, v TEXT, n BIGINT)");
    TestDb.insert(postgres(), pg, TEXT_COLUMNS, rows.list());
    TestDb.insert(mariadb(), maria, TEXT_COLUMNS, damage.target());

    for (CompareOptions tuning : tunings()) {
      ComparisonResult result = new DataComparer(tuning, Clock.systemUTC()).compare(
          TableSide.source(postgres(), pg, "k", TEXT_COLUMNS), TableSide.target(mariadb(), maria, "k", TEXT_COLUMNS),
          KeyRange.all());
      assertExactly(result, damage);
    }
  }

  @Test
  @DisplayName("one changed row among 20,000 text keys is found and only a few small segments are read row by row")
  void singleChangedRow() {
    // given identical tables but for one value
    Rows rows = textRows(20_000);
    Damage damage = damage(rows, 5, 0, 0, 1, TypedKeyCompareTest::textRow, 1);
    String pg = table("t1_pg");
    String maria = table("t1_maria");
    TestDb.exec(postgres(), "CREATE TABLE " + pg + " (k varchar(40) COLLATE \"en-x-icu\" PRIMARY KEY, v text, n bigint)");
    TestDb.exec(mariadb(), "CREATE TABLE " + maria + " (k VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
        + " PRIMARY KEY, v TEXT, n BIGINT)");
    TestDb.insert(postgres(), pg, TEXT_COLUMNS, rows.list());
    TestDb.insert(mariadb(), maria, TEXT_COLUMNS, damage.target());

    // when compared with the defaults
    ComparisonResult result = new DataComparer().compare(
        TableSide.source(postgres(), pg, "k", TEXT_COLUMNS), TableSide.target(mariadb(), maria, "k", TEXT_COLUMNS),
        KeyRange.all());

    // then that key and nothing else, from one segment of at most rowThreshold rows a side
    assertThat(result.changed()).isEqualTo(1);
    assertThat(result.samples().changed()).containsExactlyElementsOf(damage.changed());
    assertThat(result.missing() + result.extra()).isZero();
    assertThat(result.rowsFetched()).isPositive().isLessThanOrEqualTo(2 * CompareOptions.defaults().rowThreshold());
  }

  @Test
  @DisplayName("keys that differ only in case: a case-insensitive target holds one of them, the others are missing")
  void caseVariants() {
    String pg = table("cv_pg");
    String maria = table("cv_maria");
    TestDb.exec(postgres(), "CREATE TABLE " + pg + " (k text COLLATE \"en-x-icu\" PRIMARY KEY, v text, n bigint)",
        "INSERT INTO " + pg + " VALUES ('abc', 'x', 1), ('ABC', 'x', 2), ('Abc', 'x', 3), ('b', 'x', 4), ('é', 'x', 5)");
    TestDb.exec(mariadb(), "CREATE TABLE " + maria + " (k VARCHAR(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
        + " PRIMARY KEY, v TEXT, n BIGINT)",
        "INSERT INTO " + maria + " VALUES ('abc', 'x', 1), ('B', 'x', 4), ('e', 'x', 5)");

    ComparisonResult result = new DataComparer(tunings().get(2), Clock.systemUTC()).compare(
        TableSide.source(postgres(), pg, "k", TEXT_COLUMNS), TableSide.target(mariadb(), maria, "k", TEXT_COLUMNS),
        KeyRange.all());

    // keys match by exact characters: 'B' is not 'b', 'e' is not 'é'
    assertThat(result.samples().missing()).containsExactly(Key.of("ABC"), Key.of("Abc"), Key.of("b"), Key.of("é"));
    assertThat(result.samples().extra()).containsExactly(Key.of("B"), Key.of("e"));
    assertThat(result.changed()).isZero();
  }

  private static final List<String> COMPOSITE_COLUMNS = List.of("country", "member_no", "v", "n");
  private static final List<String> COUNTRIES = List.of("NL", "DE", "be", "Ö", "fr", "US");

  private static List<Object> compositeRow(int i) {
    return new ArrayList<>(List.of(COUNTRIES.get(i % COUNTRIES.size()), (long) (i / COUNTRIES.size()) * 3, "value " + i, (long) i));
  }

  @Test
  @DisplayName("composite keys (country, member number) in linguistic and in binary collations: differences found exactly, and a range inside one country sees only its own")
  void compositeKeys() {
    TreeMap<Key, List<Object>> byKey = new TreeMap<>();
    for (int i = 0; i < 6_000; i++) {
      List<Object> row = compositeRow(i);
      byKey.put(keyOf(row, 2), row);
    }
    Rows rows = new Rows(byKey);
    Damage damage = damage(rows, 41, 6, 6, 8, TypedKeyCompareTest::compositeRow, 2);
    List<String> keys = List.of("country", "member_no");

    for (String[] collations : new String[][] {{"en-x-icu", "utf8mb4_general_ci"}, {"C", "utf8mb4_nopad_bin"}}) {
      // given the members in each engine, key (country, member_no)
      String pg = table("ck_pg");
      String maria = table("ck_maria");
      TestDb.exec(postgres(), "CREATE TABLE " + pg + " (country varchar(2) COLLATE \"" + collations[0] + "\","
          + " member_no bigint, v text, n bigint, PRIMARY KEY (country, member_no))");
      TestDb.exec(mariadb(), "CREATE TABLE " + maria + " (country VARCHAR(2) CHARACTER SET utf8mb4 COLLATE " + collations[1]
          + ", member_no BIGINT, v TEXT, n BIGINT, PRIMARY KEY (country, member_no))");
      TestDb.insert(postgres(), pg, COMPOSITE_COLUMNS, rows.list());
      TestDb.insert(mariadb(), maria, COMPOSITE_COLUMNS, damage.target());
      TableSide source = TableSide.source(postgres(), pg, keys, COMPOSITE_COLUMNS);
      TableSide target = TableSide.target(mariadb(), maria, keys, COMPOSITE_COLUMNS);

      for (CompareOptions tuning : tunings()) {
        // when compared whole
        ComparisonResult result = new DataComparer(tuning, Clock.systemUTC()).compare(source, target, KeyRange.all());
        // then exactly the seeded keys
        assertExactly(result, damage);
      }

      // when only the Dutch members are compared
      KeyRange dutch = KeyRange.of(Key.of("NL", Long.MIN_VALUE), Key.of("NL", Long.MAX_VALUE));
      ComparisonResult nl = new DataComparer(tunings().get(1), Clock.systemUTC()).compare(source, target, dutch);
      // then only their differences, and only their rows
      Function<TreeSet<Key>, TreeSet<Key>> inNl = set -> new TreeSet<>(set.stream().filter(dutch::contains).toList());
      assertExactly(nl, new Damage(List.of(), inNl.apply(damage.missing()), inNl.apply(damage.extra()), inNl.apply(damage.changed())));
      assertThat(nl.sourceRows()).isEqualTo(1_000);
    }
  }

  private static final List<String> UUID_COLUMNS = List.of("id", "v", "n");

  @Test
  @DisplayName("UUID keys: PostgreSQL uuid against MariaDB's UUID type, whose own byte order differs")
  void uuidKeys() {
    Random random = new Random(3);
    // seeded, and of an RFC 4122 variant: MariaDB's UUID type refuses others
    Function<Integer, List<Object>> uuidRow = i -> new ArrayList<>(List.of(
        UUID.nameUUIDFromBytes(Long.toString(random.nextLong()).getBytes()).toString(), "value " + i, (long) i));
    TreeMap<Key, List<Object>> byKey = new TreeMap<>();
    for (int i = 0; i < 4_000; i++) {
      List<Object> row = uuidRow.apply(i);
      byKey.put(Key.of(row.get(0)), row);
    }
    Rows rows = new Rows(byKey);
    Damage damage = damage(rows, 8, 4, 3, 5, uuidRow, 1);
    String pg = table("uk_pg");
    String maria = table("uk_maria");
    TestDb.exec(postgres(), "CREATE TABLE " + pg + " (id uuid PRIMARY KEY, v text, n bigint)");
    TestDb.exec(mariadb(), "CREATE TABLE " + maria + " (id UUID PRIMARY KEY, v TEXT, n BIGINT)");
    List<List<Object>> pgRows = rows.list().stream()
        .map(r -> (List<Object>) new ArrayList<>(List.of(UUID.fromString((String) r.get(0)), r.get(1), r.get(2)))).toList();
    TestDb.insert(postgres(), pg, UUID_COLUMNS, pgRows);
    TestDb.insert(mariadb(), maria, UUID_COLUMNS, damage.target());

    for (CompareOptions tuning : tunings()) {
      ComparisonResult result = new DataComparer(tuning, Clock.systemUTC()).compare(
          TableSide.source(postgres(), pg, "id", UUID_COLUMNS), TableSide.target(mariadb(), maria, "id", UUID_COLUMNS),
          KeyRange.all());
      assertExactly(result, damage);
    }
  }

  @Test
  @DisplayName("a (date, sequence) key: a changed and a missing row found, by day")
  void dateKeys() {
    String pg = table("dk_pg");
    String maria = table("dk_maria");
    TestDb.exec(postgres(), "CREATE TABLE " + pg + " (day date, seq int, v text, n bigint, PRIMARY KEY (day, seq))");
    TestDb.exec(mariadb(), "CREATE TABLE " + maria + " (day DATE, seq INT, v TEXT, n BIGINT, PRIMARY KEY (day, seq))");
    List<List<Object>> source = new ArrayList<>();
    List<List<Object>> target = new ArrayList<>();
    LocalDate first = LocalDate.of(2024, 1, 1);
    for (int i = 0; i < 3_000; i++) {
      List<Object> row = List.of(first.plusDays(i / 10), i % 10, "value " + i, (long) i);
      source.add(row);
      if (i == 1_234) {
        continue; // 2024-05-03 #4 missing
      }
      target.add(i == 2_001 ? List.of(row.get(0), row.get(1), "other", (long) i) : row);
    }
    TestDb.insert(postgres(), pg, List.of("day", "seq", "v", "n"), source);
    TestDb.insert(mariadb(), maria, List.of("day", "seq", "v", "n"), target);

    ComparisonResult result = new DataComparer(tunings().get(1), Clock.systemUTC()).compare(
        TableSide.source(postgres(), pg, List.of("day", "seq"), List.of("v", "n")),
        TableSide.target(mariadb(), maria, List.of("day", "seq"), List.of("v", "n")), KeyRange.all());

    assertThat(result.samples().missing()).containsExactly(Key.of(LocalDate.of(2024, 5, 3), 4));
    assertThat(result.samples().changed()).containsExactly(Key.of(LocalDate.of(2024, 7, 19), 1));
    assertThat(result.extra()).isZero();
  }

  @Test
  @DisplayName("a text-keyed range cut at row quantiles and compared in parallel parts adds up to the whole comparison")
  void partsInParallel() {
    Rows rows = textRows(8_000);
    Damage damage = damage(rows, 99, 5, 5, 5, TypedKeyCompareTest::textRow, 1);
    String pg = table("tp_pg");
    String maria = table("tp_maria");
    TestDb.exec(postgres(), "CREATE TABLE " + pg + " (k varchar(40) COLLATE \"en-x-icu\" PRIMARY KEY, v text, n bigint)");
    TestDb.exec(mariadb(), "CREATE TABLE " + maria + " (k VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        + " PRIMARY KEY, v TEXT, n BIGINT)");
    TestDb.insert(postgres(), pg, TEXT_COLUMNS, rows.list());
    TestDb.insert(mariadb(), maria, TEXT_COLUMNS, damage.target());
    TableSide source = TableSide.source(postgres(), pg, "k", TEXT_COLUMNS);
    TableSide target = TableSide.target(mariadb(), maria, "k", TEXT_COLUMNS);
    DataComparer comparer = new DataComparer(CompareOptions.defaults().withSampleLimit(100), Clock.systemUTC());

    // when the source is cut into 4 parts of equal rows and they are compared two at a time
    List<KeyRange> parts = comparer.rowQuantiles(source, KeyRange.all(), 4);
    ComparisonResult merged = comparer.compareInParts(source, target, parts, 2);

    // then the parts are adjacent, hold 2,000 source rows each, and together find exactly the seeded keys
    assertThat(parts).hasSize(4);
    assertThat(parts.get(0).fromInclusive()).isNull();
    assertThat(parts.get(3).toExclusive()).isNull();
    for (int i = 1; i < parts.size(); i++) {
      assertThat(parts.get(i).fromInclusive()).isEqualTo(parts.get(i - 1).toExclusive());
    }
    for (KeyRange part : parts) {
      assertThat(comparer.checksum(source, part).rows()).isEqualTo(2_000);
    }
    assertExactly(merged, damage);
    assertThat(merged.range()).isEqualTo(KeyRange.all());
    assertThat(comparer.keyShape(target)).isEqualTo(new KeyShape(List.of("k"), List.of(KeyKind.TEXT)));
  }

  @Test
  @DisplayName("keys the engines cannot agree on are refused with a message naming the column, and never with credentials")
  void refusals() {
    String pg = table("rf_pg");
    String maria = table("rf_maria");
    TestDb.exec(postgres(), "CREATE TABLE " + pg + " (k text PRIMARY KEY, v text, n bigint)");
    TestDb.exec(mariadb(), "CREATE TABLE " + maria + " (k BIGINT PRIMARY KEY, b VARBINARY(20), v TEXT, n BIGINT)");

    // a text key against an integer key
    Throwable kinds = catchThrowable(() -> new DataComparer().compare(
        TableSide.source(postgres(), pg, "k", TEXT_COLUMNS), TableSide.target(mariadb(), maria, "k", TEXT_COLUMNS),
        KeyRange.all()));
    assertThat(kinds).isInstanceOf(DataCompareException.class)
        .hasMessageContaining("key column 1 cannot be matched: source 'k' is text (text), target 'k' is BIGINT (integer)");

    // a byte-string key has no text order
    Throwable bytes = catchThrowable(() -> new DataComparer().compare(
        TableSide.source(postgres(), pg, "k", List.of("v")), TableSide.target(mariadb(), maria, "b", List.of("v")),
        KeyRange.all()));
    assertThat(bytes).isInstanceOf(DataCompareException.class)
        .hasMessageContaining("target: key column 'b'").hasMessageContaining("bytes, not text");

    // a text bound for an integer key
    Throwable bound = catchThrowable(() -> new DataComparer().expectEmpty(
        TableSide.target(mariadb(), maria, "k", List.of("v")), KeyRange.of(Key.of("a"), Key.of("b"))));
    assertThat(bound).isInstanceOf(DataCompareException.class).hasMessageContaining("key column k is integer");

    for (Throwable t : List.of(kinds, bytes, bound)) {
      assertThat(t.getMessage()).doesNotContain(server.password());
    }
  }

  @Test
  @DisplayName("a text key in a PostgreSQL database that is not UTF-8 is refused: its byte order is not code-point order")
  void nonUtf8DatabaseRefused() {
    // given a LATIN1 database with a text-keyed table
    String db = "latin_" + TABLES.incrementAndGet();
    TestDb.exec(postgres(), "CREATE DATABASE " + db + " ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
    JdbcTarget shared = (JdbcTarget) postgres();
    JdbcTarget latin = new JdbcTarget(shared.jdbcUrl().replaceFirst("/postgres$", "/" + db), "postgres", "");
    TestDb.exec(latin, "CREATE TABLE names (k text PRIMARY KEY, v text, n bigint)");

    // when it is compared by that key
    Throwable refused = catchThrowable(() -> new DataComparer().compare(
        TableSide.source(latin, "names", "k", TEXT_COLUMNS), TableSide.target(mariadb(), "names", "k", TEXT_COLUMNS),
        KeyRange.all()));

    // then the message names the side, the column, its collation and the encoding
    assertThat(refused).isInstanceOf(DataCompareException.class)
        .hasMessageContaining("source: key column 'k' of names is text with collation default (C) in a LATIN1 database")
        .hasMessageContaining("needs a UTF8 database");
  }
}
