package dev.stagegate.common;

import java.util.List;
import java.util.function.Function;

/** Finds an item of a status list by its name. */
public final class ByName {
  private ByName() {
  }

  public static <T> T find(List<T> items, Function<T, String> name, String wanted) {
    return items == null ? null : items.stream().filter(item -> wanted.equals(name.apply((T)item))).findFirst().orElse(null);
  }
}
