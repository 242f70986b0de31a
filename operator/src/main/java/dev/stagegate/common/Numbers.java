package dev.stagegate.common;

import java.util.Locale;

/** Number and key-range formatting shared by messages, so both resources print them alike. */
public final class Numbers {
  private Numbers() {
  }

  public static String format(double value) {
    return !Double.isNaN(value) && !Double.isInfinite(value)
      ? String.format(Locale.ROOT, "%.6g", value).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replaceAll("\\.(e|$)", "$1")
      : String.valueOf(value);
  }

  public static String range(long from, long to) {
    return "[" + from + ", " + to + ")";
  }

  public static String format(Double value) {
    return value == null ? null : format(value.doubleValue());
  }
}
