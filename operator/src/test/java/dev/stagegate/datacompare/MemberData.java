package dev.stagegate.datacompare;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Seeded member-like rows (member_id, full_name, email, plan_code, enrolled_on) and seeded damage to them. */
final class MemberData {

  static final List<String> COLUMNS = List.of("member_id", "full_name", "email", "plan_code", "enrolled_on");
  private static final String[] PLANS = {"BASIC", "PLUS", "PREMIUM", "FAMILY"};

  private MemberData() {}

  static List<Object> member(long id, String name, String email, String plan, LocalDate enrolled) {
    return Arrays.asList(id, name, email, plan, enrolled);
  }

  static List<Object> member(long id) {
    return member(id, "Member " + id, "member" + id + "@example.org", PLANS[(int) (id % 4)],
        LocalDate.of(2020, 1, 1).plusDays(id % 1000));
  }

  static List<List<Object>> sequential(long fromInclusive, long toExclusive) {
    List<List<Object>> rows = new ArrayList<>();
    for (long id = fromInclusive; id < toExclusive; id++) {
      rows.add(member(id));
    }
    return rows;
  }

  /** {@code count} rows with distinct random keys in [1, keySpace], some NULLs and empty strings. */
  static List<List<Object>> random(long seed, int count, long keySpace) {
    Random random = new Random(seed);
    Set<Long> keys = new HashSet<>();
    while (keys.size() < count) {
      keys.add(1 + (long) (random.nextDouble() * keySpace));
    }
    List<List<Object>> rows = new ArrayList<>();
    for (long id : keys.stream().sorted().toList()) {
      String name = random.nextInt(50) == 0 ? null : "Name " + Long.toString(random.nextLong(), 36);
      String email = random.nextInt(50) == 0 ? "" : "m" + id + "@example.org";
      String plan = PLANS[random.nextInt(PLANS.length)];
      LocalDate enrolled = random.nextInt(40) == 0 ? null : LocalDate.of(2015, 1, 1).plusDays(random.nextInt(4000));
      rows.add(member(id, name, email, plan, enrolled));
    }
    return rows;
  }

  /** A copy with rows deleted, added (new keys) and changed in one column each, all chosen by {@code seed}. */
  static List<List<Object>> damaged(List<List<Object>> rows, long seed, int deletions, int additions, int changes, long keySpace) {
    Random random = new Random(seed);
    List<List<Object>> out = new ArrayList<>();
    rows.forEach(r -> out.add(new ArrayList<>(r)));
    for (int i = 0; i < deletions; i++) {
      out.remove(random.nextInt(out.size()));
    }
    for (int i = 0; i < changes; i++) {
      List<Object> row = out.get(random.nextInt(out.size()));
      switch (random.nextInt(5)) {
        case 0 -> row.set(1, row.get(1) == null ? "" : null);        // NULL <-> ''
        case 1 -> row.set(1, row.get(1) + "x");
        case 2 -> row.set(2, "changed" + random.nextInt() + "@example.org");
        case 3 -> row.set(3, row.get(3).equals("BASIC") ? "PLUS" : "BASIC");
        default -> row.set(4, row.get(4) == null ? LocalDate.of(2001, 2, 3) : ((LocalDate) row.get(4)).plusDays(1));
      }
    }
    Set<Long> present = new HashSet<>();
    rows.forEach(r -> present.add((Long) r.get(0)));
    int added = 0;
    while (added < additions) {
      long id = 1 + (long) (random.nextDouble() * keySpace * 1.1); // some beyond the source's last key
      if (present.add(id)) {
        out.add(member(id));
        added++;
      }
    }
    return out;
  }
}
