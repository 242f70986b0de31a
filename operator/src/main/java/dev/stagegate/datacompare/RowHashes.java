package dev.stagegate.datacompare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Keys and 64-bit row hashes of one side of a few small segments. */
final class RowHashes {

  private final String role;
  private final List<Key> keys = new ArrayList<>();
  private long[] hashes = new long[256];

  RowHashes(String role) {
    this.role = role;
  }

  void add(Key key, long hash) {
    if (keys.size() == hashes.length) {
      hashes = Arrays.copyOf(hashes, hashes.length * 2);
    }
    hashes[keys.size()] = hash;
    keys.add(key);
  }

  /**
   * Sorts by {@link Key} order, keeping each hash with its key: rows arrive in the engine's scan order, and
   * for text keys in a non-binary collation the engine's own order is not code-point order anyway.
   */
  void sortByKey() {
    int size = keys.size();
    boolean sorted = true;
    for (int i = 1; i < size && sorted; i++) {
      sorted = keys.get(i - 1).compareTo(keys.get(i)) <= 0;
    }
    if (sorted) {
      return;
    }
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> keys.get(a).compareTo(keys.get(b)));
    List<Key> sortedKeys = new ArrayList<>(size);
    long[] sortedHashes = new long[Math.max(256, size)];
    for (int i = 0; i < size; i++) {
      sortedKeys.add(keys.get(order[i]));
      sortedHashes[i] = hashes[order[i]];
    }
    keys.clear();
    keys.addAll(sortedKeys);
    hashes = sortedHashes;
  }

  int size() {
    return keys.size();
  }

  void addAll(RowHashes other) {
    for (int i = 0; i < other.size(); i++) {
      add(other.keys.get(i), other.hashes[i]);
    }
  }

  /**
   * Merge-joins two key-ordered lists: a key only in the source is missing in the target, only in the
   * target is extra, in both with different hashes is changed.
   *
   * @throws DataCompareException when a side holds the same key twice: the key columns do not identify rows
   *     (no unique index on them), and any pairing of the rows would be a guess
   */
  static void diff(RowHashes source, RowHashes target, DifferenceCollector out) {
    source.checkUnique();
    target.checkUnique();
    int i = 0;
    int j = 0;
    int ns = source.size();
    int nt = target.size();
    while (i < ns || j < nt) {
      int c = i == ns ? 1 : j == nt ? -1 : source.keys.get(i).compareTo(target.keys.get(j));
      if (c < 0) {
        out.missing(source.keys.get(i++));
      } else if (c > 0) {
        out.extra(target.keys.get(j++));
      } else {
        if (source.hashes[i] != target.hashes[j]) {
          out.changed(source.keys.get(i));
        }
        i++;
        j++;
      }
    }
  }

  private void checkUnique() {
    for (int i = 1; i < keys.size(); i++) {
      if (keys.get(i - 1).equals(keys.get(i))) {
        throw new DataCompareException(role + ": key " + keys.get(i) + " appears in more than one row; the key"
            + " columns must identify rows (text keys are matched by exact characters: case, accents and"
            + " trailing spaces count)");
      }
    }
  }
}
