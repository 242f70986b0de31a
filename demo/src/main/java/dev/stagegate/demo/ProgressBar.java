package dev.stagegate.demo;

/** A text bar: "█████░░░░░" for 50 of 100 in 10 cells. */
public final class ProgressBar {
  private ProgressBar() {}

  public static String of(long done, long total, int cells) {
    if (cells <= 0) {
      return "";
    }
    long clamped = Math.max(0, Math.min(done, total));
    int full = total <= 0 ? 0 : (int) Math.round((double) clamped * cells / total);
    return "█".repeat(full) + "░".repeat(cells - full);
  }
}
