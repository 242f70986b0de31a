package dev.stagegate.datacompare;

import java.util.Arrays;

/** Keys and 64-bit row hashes of one side of a small segment, in primitive arrays. */
final class RowHashes {

  private long[] keys = new long[256];
  private long[] hashes = new long[256];
  private int size;

  void add(long key, long hash) {
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      hashes = Arrays.copyOf(hashes, size * 2);
    }
    keys[size] = key;
    hashes[size] = hash;
    size++;
  }

  /** Sorts by key (rows arrive in the engine's scan order), keeping each hash with its key. */
  void sortByKey() {
    boolean sorted = true;
    for (int i = 1; i < size && sorted; i++) {
      sorted = keys[i - 1] <= keys[i];
    }
    if (sorted) {
      return;
    }
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Long.compare(keys[a], keys[b]));
    long[] sortedKeys = new long[size];
    long[] sortedHashes = new long[size];
    for (int i = 0; i < size; i++) {
      sortedKeys[i] = keys[order[i]];
      sortedHashes[i] = hashes[order[i]];
    }
    keys = sortedKeys;
    hashes = sortedHashes;
  }

  int size() {
    return size;
  }

  /**
   * Merge-joins two key-ordered lists: a key only in the source is missing in the target, only in the
   * target is extra, in both with different hashes is changed.
   */
  static void diff(RowHashes source, RowHashes target, DifferenceCollector out) {
    int i = 0;
    int j = 0;
    while (i < source.size || j < target.size) {
      if (j == target.size || (i < source.size && source.keys[i] < target.keys[j])) {
        out.missing(source.keys[i++]);
      } else if (i == source.size || target.keys[j] < source.keys[i]) {
        out.extra(target.keys[j++]);
      } else {
        if (source.hashes[i] != target.hashes[j]) {
          out.changed(source.keys[i]);
        }
        i++;
        j++;
      }
    }
  }
}
