package dev.stagegate.demo;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Where the demo talks to a person: plain ANSI, colours only on a terminal (never in --headless, never with
 * NO_COLOR), UTF-8 whatever the platform default, one synchronized line at a time so that the watchers' lines
 * never interleave mid-line.
 */
public final class Terminal {
  private static final String RESET = "\u001b[0m";

  private final PrintStream out;
  private final boolean colour;

  public Terminal(PrintStream out, boolean colour) {
    this.out = out;
    this.colour = colour;
  }

  /** stdout in UTF-8; colour when it is a terminal, not headless and NO_COLOR is unset. */
  public static Terminal stdout(boolean headless) {
    boolean tty = System.console() != null;
    boolean colour = tty && !headless && System.getenv("NO_COLOR") == null;
    // Wraps System.out (not the file descriptor) so that a test runner capturing System.out still sees it.
    return new Terminal(new PrintStream(System.out, true, StandardCharsets.UTF_8), colour);
  }

  public synchronized void line(String text) {
    out.println(text);
    out.flush();
  }

  public boolean coloured() {
    return colour;
  }

  public String bold(String s) {
    return paint("1", s);
  }

  public String dim(String s) {
    return paint("2", s);
  }

  public String green(String s) {
    return paint("32", s);
  }

  public String red(String s) {
    return paint("31", s);
  }

  public String yellow(String s) {
    return paint("33", s);
  }

  public String cyan(String s) {
    return paint("36", s);
  }

  private String paint(String code, String s) {
    return colour ? "\u001b[" + code + "m" + s + RESET : s;
  }

  /** Text without ANSI codes, for width computations and tests. */
  public static String plain(String s) {
    return s.replaceAll("\u001b\\[[0-9;]*m", "");
  }
}
