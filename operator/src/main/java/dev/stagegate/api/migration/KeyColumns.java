package dev.stagegate.api.migration;

import java.util.ArrayList;
import java.util.List;

final class KeyColumns {
  private KeyColumns() {}

  static List<String> of(String key, List<String> thenBy) {
    List<String> out = new ArrayList<>();
    out.add(key);
    if (thenBy != null) {
      out.addAll(thenBy);
    }
    return out;
  }
}
