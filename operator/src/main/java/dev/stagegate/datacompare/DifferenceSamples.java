package dev.stagegate.datacompare;

import java.util.List;

/** The smallest keys of each kind of difference, ascending, at most {@link CompareOptions#sampleLimit()} each. */
public record DifferenceSamples(List<Key> missing, List<Key> extra, List<Key> changed) {

  public static final DifferenceSamples NONE = new DifferenceSamples(List.of(), List.of(), List.of());

  public DifferenceSamples {
    missing = List.copyOf(missing);
    extra = List.copyOf(extra);
    changed = List.copyOf(changed);
  }

  static DifferenceSamples ofLongs(List<Long> missing, List<Long> extra, List<Long> changed) {
    return new DifferenceSamples(keys(missing), keys(extra), keys(changed));
  }

  private static List<Key> keys(List<Long> values) {
    return values.stream().map(Key::of).toList();
  }
}
