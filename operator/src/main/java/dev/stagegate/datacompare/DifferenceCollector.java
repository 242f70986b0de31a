package dev.stagegate.datacompare;

import java.util.List;
import java.util.TreeSet;

/** Counts differences of each kind and keeps the smallest sample keys of each (deterministic output). */
final class DifferenceCollector {

  private final int sampleLimit;
  private long missing;
  private long extra;
  private long changed;
  private final TreeSet<Key> missingKeys = new TreeSet<>();
  private final TreeSet<Key> extraKeys = new TreeSet<>();
  private final TreeSet<Key> changedKeys = new TreeSet<>();

  DifferenceCollector(int sampleLimit) {
    this.sampleLimit = sampleLimit;
  }

  void missing(Key key) {
    missing++;
    sample(missingKeys, key);
  }

  void extra(Key key) {
    extra++;
    sample(extraKeys, key);
  }

  void changed(Key key) {
    changed++;
    sample(changedKeys, key);
  }

  /** Rows known to be missing by count alone (a segment the target lacks); sample keys come via {@link #sampleMissing}. */
  void missingCount(long rows) {
    missing += rows;
  }

  void extraCount(long rows) {
    extra += rows;
  }

  void changedCount(long rows) {
    changed += rows;
  }

  void sampleMissing(Key key) {
    sample(missingKeys, key);
  }

  void sampleExtra(Key key) {
    sample(extraKeys, key);
  }

  void sampleChanged(Key key) {
    sample(changedKeys, key);
  }

  private void sample(TreeSet<Key> keys, Key key) {
    if (sampleLimit == 0) {
      return;
    }
    if (keys.size() < sampleLimit) {
      keys.add(key);
    } else if (key.compareTo(keys.last()) < 0 && keys.add(key)) {
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

  DifferenceSamples samples() {
    return new DifferenceSamples(List.copyOf(missingKeys), List.copyOf(extraKeys), List.copyOf(changedKeys));
  }
}
