package dev.stagegate.bench.compare;

import dev.stagegate.datacompare.CompareOptions;
import dev.stagegate.datacompare.ComparisonResult;
import dev.stagegate.datacompare.DataComparer;
import dev.stagegate.datacompare.JdbcTarget;
import dev.stagegate.datacompare.KeyRange;
import dev.stagegate.datacompare.TableChecksum;
import dev.stagegate.datacompare.TableSide;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Times the data comparison against its floor on an embedded PostgreSQL: two member tables of
 * {@code --rows} rows, compared with no difference, one, and {@code --scattered} scattered ones, with the
 * native and the portable row hash, keyed by the integer member id, a text member number (binary collation,
 * index seeks), (plan, member id) composite, the e-mail in the database's own collation (one-scan segment
 * assignment), and in {@code --parts} parallel parts. The floor is one aggregate checksum query over the whole
 * table (the same hash expression), per side alone and for both sides at once (what a comparison must read
 * at least).
 */
@Command(name = "compare-benchmark", mixinStandardHelpOptions = true,
    description = "Benchmark of the DataMigration compare check (checksum bisection) on embedded PostgreSQL")
public final class CompareBenchmark implements Callable<Integer> {

  private static final List<String> COLUMNS = List.of("member_id", "full_name", "email", "plan_code", "enrolled_on");

  @Option(names = "--rows", description = "rows per table, e.g. 25000000 (default ${DEFAULT-VALUE})")
  long rows = 2_500_000;

  @Option(names = "--scattered", description = "scattered differing rows in the last scenario (default ${DEFAULT-VALUE})")
  int scattered = 1_000;

  @Option(names = "--repeat", description = "runs per measurement; the median is reported (default ${DEFAULT-VALUE})")
  int repeat = 3;

  @Option(names = "--factor", description = "bisection factor (default ${DEFAULT-VALUE})")
  int factor = CompareOptions.defaults().bisectionFactor();

  @Option(names = "--first-level-segments", description = "segments after the whole-range check (default ${DEFAULT-VALUE})")
  int firstLevelSegments = CompareOptions.defaults().firstLevelSegments();

  @Option(names = "--scenarios", split = ",", description = "none,one,scattered (default ${DEFAULT-VALUE})")
  List<String> scenarios = List.of("none", "one", "scattered");

  @Option(names = "--keys", split = ",", description = "integer,text,composite,text-scan,parallel; text-scan: a text key in"
      + " the database's collation, which is not code point order, so that side scans (default ${DEFAULT-VALUE})")
  List<String> keys = List.of("integer", "text", "composite", "text-scan", "parallel");

  @Option(names = "--threshold", description = "rows under which a segment is diffed row by row (default ${DEFAULT-VALUE})")
  long threshold = CompareOptions.defaults().rowThreshold();

  @Option(names = "--whole-range-first", negatable = true, description = "check the whole range first (default ${DEFAULT-VALUE})")
  boolean wholeRangeFirst = CompareOptions.defaults().wholeRangeFirst();

  @Option(names = "--parts", description = "parts of the parallel row (default ${DEFAULT-VALUE})")
  int parts = 4;

  @Option(names = "--connections", description = "connections per side of the parallel row (default ${DEFAULT-VALUE})")
  int connections = 2;

  @Option(names = "--parallel-workers", description = "PostgreSQL max_parallel_workers_per_gather (default ${DEFAULT-VALUE}, PostgreSQL's own default)")
  int parallelWorkers = 2;

  @Option(names = "--modes", split = ",", description = "native,portable (default ${DEFAULT-VALUE})")
  List<String> modes = List.of("native", "portable");

  private final List<String[]> table = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new CompareBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(Locale.ROOT, "compare benchmark: %,d rows per table, factor %d, first level %d segments, threshold %,d,"
        + " whole range first %s, parallel workers %d, %d runs each (median; floor and compare runs alternate), %d cores%n",
        rows, factor, firstLevelSegments, threshold, wholeRangeFirst, parallelWorkers, repeat, cores);
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setServerConfig("shared_buffers", "768MB")
        .setServerConfig("max_parallel_workers_per_gather", Integer.toString(parallelWorkers))
        .setServerConfig("fsync", "off")
        .setServerConfig("synchronous_commit", "off")
        .setServerConfig("max_wal_size", "8GB") // 25M-row loads: no checkpoint storm
        .start()) {
      JdbcTarget db = new JdbcTarget("jdbc:postgresql://localhost:" + pg.getPort() + "/postgres", "postgres", "");
      long loadStart = System.nanoTime();
      load(db);
      System.out.printf(Locale.ROOT, "loaded 2 x %,d rows in %.1f s; load average %s%n", rows, seconds(System.nanoTime() - loadStart), loadAverage());

      long changedKey = rows / 2 + 17;
      Set<Long> scatteredKeys = scatteredKeys(changedKey);
      for (String scenario : List.of("none", "one", "scattered")) {
        if (scenario.equals("one")) {
          // not a key column of any row below: a changed key would be a missing and an extra row
          exec(db, "UPDATE members_target SET full_name = 'Changed Name' WHERE member_id = " + changedKey);
          vacuum(db);
        } else if (scenario.equals("scattered")) {
          update(db, scatteredKeys);
          vacuum(db);
        }
        if (!scenarios.contains(scenario)) {
          continue;
        }
        for (String mode : modes) {
          measure(scenarioMeasurements(db, scenario, mode, changedKey, scatteredKeys), mode);
        }
      }
      print();
      System.out.printf(Locale.ROOT, "load average at the end %s; rows/s = rows per side / median time;"
          + " per core = that / %d cores%n", loadAverage(), cores);
    }
    return 0;
  }

  /** The floors, then one comparison per key kind, all of one scenario and hash mode. */
  private List<Measurement> scenarioMeasurements(JdbcTarget db, String scenario, String mode, long changedKey, Set<Long> scatteredKeys) {
    CompareOptions options = CompareOptions.defaults().withBisectionFactor(factor).withFirstLevelSegments(firstLevelSegments)
        .withRowThreshold(threshold).withPortableOnly(mode.equals("portable")).withWholeRangeFirst(wholeRangeFirst)
        .withQueryTimeout(Duration.ofMinutes(60));
    DataComparer comparer = new DataComparer(options, Clock.systemUTC());
    TableSide source = TableSide.source(db, "members_source", "member_id", COLUMNS);
    TableSide target = TableSide.target(db, "members_target", "member_id", COLUMNS);
    comparer.checksum(source, KeyRange.all()); // warm the cache and the plans
    long expected = switch (scenario) {
      case "none" -> 0;
      case "one" -> 1;
      default -> scatteredKeys.size();
    };
    String what = switch (scenario) {
      case "none" -> "no difference";
      case "one" -> "1 changed row";
      default -> scatteredKeys.size() + " scattered changed rows";
    };
    List<Measurement> measurements = new ArrayList<>();
    if (scenario.equals("none")) {
      measurements.add(new Measurement("floor: 1 aggregate query, one side", () -> {
        TableChecksum c = comparer.checksum(source, KeyRange.all());
        return new Outcome(c.queries(), c.rows(), "checksum " + c.checksum());
      }));
    }
    measurements.add(new Measurement("floor: 1 aggregate query per side, both at once", () -> bothSides(comparer, source, target)));
    for (String key : keys) {
      List<String> keyColumns = switch (key) {
        case "text" -> List.of("member_no");
        case "composite" -> List.of("plan_code", "member_id");
        case "text-scan" -> List.of("email");
        default -> List.of("member_id");
      };
      TableSide s = TableSide.source(db, "members_source", keyColumns, COLUMNS);
      TableSide t = TableSide.target(db, "members_target", keyColumns, COLUMNS);
      String label = key.equals("parallel")
          ? "compare, " + what + ", " + parts + " parts, " + connections + " connections a side"
          : "compare, " + what + ", " + (key.equals("text-scan") ? "text key, database collation (scans)" : key + " key");
      measurements.add(new Measurement(label, () -> {
        ComparisonResult r = key.equals("parallel")
            ? comparer.compareInParts(s, t, comparer.approximateRowQuantiles(s, KeyRange.all(), parts), connections)
            : comparer.compare(s, t, KeyRange.all());
        String check = r.changed() == expected && r.missing() == 0 && r.extra() == 0 ? "ok" : "WRONG: " + r.summary();
        return new Outcome(r.queries(), r.sourceRows(), String.format(Locale.ROOT, "%s, %d found, %,d rows fetched",
            check, r.mismatches(), r.rowsFetched()));
      }));
    }
    return measurements;
  }

  private record Outcome(int queries, long rows, String note) {}

  private record Measurement(String what, Supplier<Outcome> run) {}

  /** Runs the measurements in turn, {@code repeat} rounds, so that load changes on the machine hit all alike. */
  private void measure(List<Measurement> measurements, String mode) {
    List<List<Double>> times = new ArrayList<>();
    List<Outcome> last = new ArrayList<>();
    measurements.forEach(m -> {
      times.add(new ArrayList<>());
      last.add(null);
    });
    for (int round = 0; round < repeat; round++) {
      for (int i = 0; i < measurements.size(); i++) {
        long start = System.nanoTime();
        last.set(i, measurements.get(i).run().get());
        times.get(i).add(seconds(System.nanoTime() - start));
      }
    }
    for (int i = 0; i < measurements.size(); i++) {
      List<Double> sorted = new ArrayList<>(times.get(i));
      Collections.sort(sorted);
      double median = sorted.get(sorted.size() / 2);
      Outcome outcome = last.get(i);
      table.add(new String[] {measurements.get(i).what(), mode, String.format(Locale.ROOT, "%.2f", median),
          String.format(Locale.ROOT, "%.2f", sorted.get(0)), "", Integer.toString(outcome.queries()),
          String.format(Locale.ROOT, "%,.0f", outcome.rows() / median),
          String.format(Locale.ROOT, "%,.0f", outcome.rows() / median / Runtime.getRuntime().availableProcessors()),
          outcome.note()});
      System.out.printf(Locale.ROOT, "  %-48s %-8s median %6.2f s  (runs: %s)%n", measurements.get(i).what(), mode, median, times.get(i));
    }
  }

  private Outcome bothSides(DataComparer comparer, TableSide source, TableSide target) {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<TableChecksum> s = pool.submit(() -> comparer.checksum(source, KeyRange.all()));
      Future<TableChecksum> t = pool.submit(() -> comparer.checksum(target, KeyRange.all()));
      TableChecksum cs = s.get();
      TableChecksum ct = t.get();
      return new Outcome(cs.queries() + ct.queries(), cs.rows(), cs.sameDataAs(ct) ? "checksums equal" : "checksums differ");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Fills the ratio column: each time over the most recent both-sides floor of the same hash mode. */
  private void print() {
    for (int i = 0; i < table.size(); i++) {
      String[] row = table.get(i);
      String[] reference = null;
      for (int j = i; j >= 0 && reference == null; j--) {
        if (table.get(j)[0].startsWith("floor: 1 aggregate query per side") && table.get(j)[1].equals(row[1])) {
          reference = table.get(j);
        }
      }
      if (reference == null) {
        for (int j = i; j < table.size() && reference == null; j++) {
          if (table.get(j)[0].startsWith("floor: 1 aggregate query per side") && table.get(j)[1].equals(row[1])) {
            reference = table.get(j);
          }
        }
      }
      if (reference != null) {
        row[4] = String.format(Locale.ROOT, "%.2f", Double.parseDouble(row[2]) / Double.parseDouble(reference[2]));
      }
    }
    String[] header = {"measurement", "hash", "median s", "min s", "x floor(both)", "queries", "rows/s", "rows/s/core", "result"};
    int[] width = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      width[i] = header[i].length();
      for (String[] row : table) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder sb = new StringBuilder("\n");
    appendRow(sb, header, width);
    String[] rule = new String[header.length];
    for (int i = 0; i < header.length; i++) {
      rule[i] = "-".repeat(width[i]);
    }
    appendRow(sb, rule, width);
    table.forEach(row -> appendRow(sb, row, width));
    System.out.print(sb);
  }

  private static void appendRow(StringBuilder sb, String[] row, int[] width) {
    sb.append('|');
    for (int i = 0; i < row.length; i++) {
      String cell = row[i];
      boolean left = i == 0 || i == 1 || i == row.length - 1;
      sb.append(' ').append(left ? String.format("%-" + width[i] + "s", cell) : String.format("%" + width[i] + "s", cell)).append(" |");
    }
    sb.append('\n');
  }

  private void load(JdbcTarget db) throws Exception {
    exec(db,
        // member_no and plan_code in "C": binary collations, so their ranges seek the indexes below
        "CREATE TABLE members_source (member_id bigint PRIMARY KEY, member_no text COLLATE \"C\" NOT NULL,"
            + " full_name text NOT NULL, email varchar(200), plan_code varchar(16) COLLATE \"C\" NOT NULL, enrolled_on date)",
        "INSERT INTO members_source SELECT g, 'M' || lpad(g::text, 9, '0'), 'Member ' || g || ' ' || (ARRAY['Smith','Jones','Garcia','Okafor','Tanaka'])[1 + g % 5],"
            + " 'member' || g || '@example.org', (ARRAY['BASIC','PLUS','PREMIUM','FAMILY'])[1 + g % 4],"
            + " CASE WHEN g % 97 = 0 THEN NULL ELSE date '2015-01-01' + (g % 3650)::int END"
            + " FROM generate_series(1, " + rows + ") g",
        "CREATE UNIQUE INDEX ON members_source (member_no)",
        "CREATE UNIQUE INDEX ON members_source (plan_code, member_id)",
        "CREATE TABLE members_target (LIKE members_source INCLUDING ALL)",
        "INSERT INTO members_target SELECT * FROM members_source ORDER BY member_id");
    vacuum(db);
  }

  private static void vacuum(JdbcTarget db) throws Exception {
    exec(db, "VACUUM ANALYZE members_source", "VACUUM ANALYZE members_target");
  }

  private Set<Long> scatteredKeys(long alsoChanged) {
    Random random = new Random(42);
    Set<Long> keys = new LinkedHashSet<>();
    keys.add(alsoChanged);
    while (keys.size() < scattered) {
      keys.add(1 + (long) (random.nextDouble() * rows));
    }
    return keys;
  }

  private static void update(JdbcTarget db, Set<Long> keys) throws Exception {
    try (Connection c = db.open();
        PreparedStatement ps = c.prepareStatement("UPDATE members_target SET full_name = full_name || '*' WHERE member_id = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("bigint", keys.stream().filter(k -> k != null).toArray()));
      ps.executeUpdate();
    }
  }

  private static void exec(JdbcTarget db, String... statements) throws Exception {
    try (Connection c = db.open(); Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "unknown";
    }
  }
}
