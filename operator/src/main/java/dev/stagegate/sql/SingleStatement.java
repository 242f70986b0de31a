package dev.stagegate.sql;

import java.util.List;
import java.util.Optional;

/**
 * Decides whether SQL text is one statement. A read-only transaction only holds if the text cannot end
 * it: {@code COMMIT; SET SESSION ... READ WRITE; DELETE ...} is refused before any database sees it.
 *
 * <p>How a server lexes quotes and comments depends on its engine and settings
 * ({@code standard_conforming_strings}, {@code NO_BACKSLASH_ESCAPES}, {@code ANSI_QUOTES}). For a known
 * engine the text is scanned under every lexing that engine can use and refused if any of them sees a second
 * statement: a rare false refusal (a backslash ending a string), never a missed one. Before the engine is
 * known (validating a spec whose JDBC URL sits in a Secret) only text that is chained on every engine is
 * refused; the preflight repeats the check once it knows the engine.
 */
public final class SingleStatement {

  /** The engines a DataMigration can name; MySQL lexes like MariaDB. */
  public enum Engine {
    POSTGRESQL("PostgreSQL"), MARIADB("MariaDB/MySQL");

    private final String shown;

    Engine(String shown) {
      this.shown = shown;
    }
  }

  /** How one server setting reads quotes and comments. */
  private record Lexing(Engine engine, String setting, boolean backslashInSingle, boolean backslashInDouble) {
    boolean postgres() {
      return engine == Engine.POSTGRESQL;
    }
  }

  private static final List<Lexing> LEXINGS = List.of(
      new Lexing(Engine.POSTGRESQL, "", false, false),
      new Lexing(Engine.POSTGRESQL, " with standard_conforming_strings off", true, false),
      new Lexing(Engine.MARIADB, "", true, true),
      new Lexing(Engine.MARIADB, " with ANSI_QUOTES", true, false),
      new Lexing(Engine.MARIADB, " with NO_BACKSLASH_ESCAPES", false, false));

  private SingleStatement() {}

  /** Why the text is not a single statement on {@code engine}, or empty when it is. */
  public static Optional<String> problem(String sql, Engine engine) {
    if (sql == null || sql.isBlank()) {
      return Optional.of("must not be empty");
    }
    for (Lexing lexing : LEXINGS) {
      int second = lexing.engine() == engine ? secondStatement(sql, lexing) : -1;
      if (second >= 0) {
        return Optional.of("must be a single SQL statement: " + engine.shown + lexing.setting()
            + " reads a second statement from character " + (second + 1) + " on; guards cannot chain statements");
      }
    }
    return Optional.empty();
  }

  /** The problem when the text is chained whatever the engine, so it can be refused before the engine is known. */
  public static Optional<String> problemOnEveryEngine(String sql) {
    Optional<String> first = Optional.empty();
    for (Engine engine : Engine.values()) {
      Optional<String> problem = problem(sql, engine);
      if (problem.isEmpty()) {
        return Optional.empty();
      }
      first = first.or(() -> problem);
    }
    return first;
  }

  /**
   * The statement to send: the text without trailing terminators. Dropping characters at the end can never
   * turn one statement into two; a MariaDB connection without allowMultiQueries would refuse a trailing ';'.
   *
   * @throws IllegalArgumentException when the text is not a single statement on {@code engine}
   */
  public static String of(String sql, Engine engine) {
    Optional<String> problem = problem(sql, engine);
    if (problem.isPresent()) {
      throw new IllegalArgumentException(problem.get());
    }
    String text = sql.strip();
    while (text.endsWith(";")) {
      text = text.substring(0, text.length() - 1).stripTrailing();
    }
    return text;
  }

  /** The index where a second statement begins, or -1: after a top-level ';' only blanks, ';' and comments may follow. */
  private static int secondStatement(String sql, Lexing lexing) {
    boolean terminated = false;
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      int skip = skipNonCode(sql, i, lexing);
      if (skip > i) {
        // A comment after the terminator is harmless; a string or quoted name is a new statement's text.
        if (terminated && !comment(sql, i, lexing)) {
          return i;
        }
        i = skip;
        continue;
      }
      if (c == ';') {
        terminated = true;
      } else if (!Character.isWhitespace(c) && terminated) {
        return i;
      }
      i++;
    }
    return -1;
  }

  private static boolean comment(String sql, int i, Lexing lexing) {
    return lineComment(sql, i, lexing) || blockComment(sql, i, lexing);
  }

  /** The index just past the string, quoted name or comment starting at {@code i}; {@code i} if none starts there. */
  private static int skipNonCode(String sql, int i, Lexing lexing) {
    char c = sql.charAt(i);
    if (lineComment(sql, i, lexing)) {
      int end = sql.indexOf('\n', i);
      return end < 0 ? sql.length() : end + 1;
    }
    if (blockComment(sql, i, lexing)) {
      return lexing.postgres() ? endOfNestedComment(sql, i) : endOf(sql, i + 2, "*/");
    }
    if (c == '\'') {
      boolean escapes = lexing.backslashInSingle() || (lexing.postgres() && escapeStringPrefix(sql, i));
      return endOfQuoted(sql, i, '\'', escapes);
    }
    if (c == '"') {
      return endOfQuoted(sql, i, '"', lexing.backslashInDouble());
    }
    if (c == '`' && !lexing.postgres()) {
      return endOfQuoted(sql, i, '`', false);
    }
    if (c == '$' && lexing.postgres()) {
      return endOfDollarQuote(sql, i);
    }
    return i;
  }

  private static boolean lineComment(String sql, int i, Lexing lexing) {
    char c = sql.charAt(i);
    if (c == '#') {
      return !lexing.postgres();
    }
    if (c != '-' || i + 1 >= sql.length() || sql.charAt(i + 1) != '-') {
      return false;
    }
    // MariaDB and MySQL read "--" as a comment only before a blank or control character: "1--1" is arithmetic.
    return lexing.postgres() || i + 2 >= sql.length() || sql.charAt(i + 2) <= ' ';
  }

  private static boolean blockComment(String sql, int i, Lexing lexing) {
    if (!sql.startsWith("/*", i)) {
      return false;
    }
    // MariaDB and MySQL execute /*! ... */ and /*M! ... */: their content is code, scanned like any other.
    return lexing.postgres() || !(sql.startsWith("/*!", i) || sql.startsWith("/*M!", i));
  }

  /** PostgreSQL's E'...' takes backslash escapes whatever standard_conforming_strings says. */
  private static boolean escapeStringPrefix(String sql, int quote) {
    if (quote == 0 || Character.toLowerCase(sql.charAt(quote - 1)) != 'e') {
      return false;
    }
    return quote == 1 || !identifierPart(sql.charAt(quote - 2));
  }

  private static int endOfQuoted(String sql, int open, char quote, boolean backslashEscapes) {
    int i = open + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2; // a doubled quote stands for itself
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return sql.length(); // unterminated: the server refuses it; nothing after it can be a statement of ours
  }

  private static int endOfNestedComment(String sql, int open) {
    int depth = 0;
    int i = open;
    while (i < sql.length()) {
      if (sql.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        depth--;
        i += 2;
        if (depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    return sql.length();
  }

  private static int endOf(String sql, int from, String close) {
    int end = sql.indexOf(close, from);
    return end < 0 ? sql.length() : end + close.length();
  }

  /** $tag$ ... $tag$ with an empty or identifier tag; "$1" (a parameter) and "a$b" (a name) are not quotes. */
  private static int endOfDollarQuote(String sql, int open) {
    if (open > 0 && identifierPart(sql.charAt(open - 1))) {
      return open;
    }
    int i = open + 1;
    if (i < sql.length() && Character.isDigit(sql.charAt(i))) {
      return open;
    }
    while (i < sql.length() && sql.charAt(i) != '$' && identifierPart(sql.charAt(i))) {
      i++;
    }
    if (i >= sql.length() || sql.charAt(i) != '$') {
      return open;
    }
    String tag = sql.substring(open, i + 1);
    return endOf(sql, i + 1, tag);
  }

  private static boolean identifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127;
  }
}
