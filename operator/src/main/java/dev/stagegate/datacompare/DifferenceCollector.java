package dev.stagegate.datacompare;

import java.util.List;
import java.util.TreeSet;

/** Counts differences of each kind and keeps the smallest sample keys of each (deterministic output). */
final class DifferenceCollector {

  private final int sampleLimit;
  private long missing;
  private long extra;
  private long changed;
  private final TreeSet<Long> missingKeys = new TreeSet<>();
  private final TreeSet<Long> extraKeys = new TreeSet<>();
  private final TreeSet<Long> changedKeys = new TreeSet<>();

  DifferenceCollector(int sampleLimit) {
    this.sampleLimit = sampleLimit;
  }

  void missing(long key) {
    missing++;
    sample(missingKeys, key);
  }

  void extra(long key) {
    extra++;
    sample(extraKeys, key);
  }

  void changed(long key) {
    changed++;
    sample(changedKeys, key);
  }

  /** Rows known to be missing by count alone (a bucket the target lacks); sample keys come via {@link #sampleMissing}. */
  void missingCount(long rows) {
    missing += rows;
  }

  void extraCount(long rows) {
    extra += rows;
  }

  void sampleMissing(long key) {
    sample(missingKeys, key);
  }

  void sampleExtra(long key) {
    sample(extraKeys, key);
  }

  private void sample(TreeSet<Long> keys, long key) {
    if (sampleLimit == 0) {
      return;
    }
    if (keys.size() < sampleLimit) {
      keys.add(key);
    } else if (key < keys.last() && keys.add(key)) {
      keys.pollLast();
    }
  }

  long missing() {
    return missing;
  }

  long extra() {
    return extra;
  }

  long changed() {
    return changed;
  }

  List<Long> missingSamples() {
    return List.copyOf(missingKeys);
  }

  List<Long> extraSamples() {
    return List.copyOf(extraKeys);
  }

  List<Long> changedSamples() {
    return List.copyOf(changedKeys);
  }
}
