package dev.stagegate.analysis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The only query shape a sequential count check accepts: one counter selector, optionally inside {@code sum(...)}
 * (with {@code by}/{@code without}). The check needs cumulative counts whose increments it takes itself from raw
 * samples; {@code rate()}/{@code increase()} over windows, range selectors, {@code offset}, or {@code or vector(0)}
 * would silently break the guarantee (overlapping windows count requests again, extrapolated increases are not whole
 * numbers, a zero fallback turns a mistyped query into "no errors"). Refusals name the spec field.
 */
public final class CounterQuery {
  private static final Set<String> RATE_FUNCTIONS =
      Set.of("rate", "irate", "increase", "delta", "idelta", "deriv", "resets", "changes");
  private static final Set<String> AGGREGATION_MODIFIERS = Set.of("by", "without");
  private static final Set<String> MATCHERS = Set.of("=", "!=", "=~", "!~");
  private static final Set<String> TWO_CHAR_OPERATORS = Set.of("!=", "=~", "!~", "==", "<=", ">=");

  private CounterQuery() {
  }

  /** What a query is: a usable counter selector, or refused with a message that starts with {@code field}. */
  public sealed interface Parsed permits Selector, Refused {
  }

  /** A counter selector such as {@code http_requests_total{app="x"}}; the sum, if any, is done by the operator. */
  public record Selector(String selector) implements Parsed {
    /** The range selector that returns this counter's raw samples over {@code range}, rounded up to whole seconds. */
    public String over(Duration range) {
      return selector + "[" + Math.max(1, (range.toMillis() + 999) / 1000) + "s]";
    }
  }

  public record Refused(String message) implements Parsed {
  }

  public static Parsed parse(String field, String query) {
    if (query == null || query.isBlank()) {
      return new Refused(field + ": must not be empty");
    }
    List<Token> tokens;
    try {
      tokens = tokenize(query);
    } catch (IllegalArgumentException e) {
      return new Refused(field + ": " + e.getMessage());
    }
    return new Parser(field, tokens, query).query();
  }

  /** Just enough of PromQL's lexer to tell identifiers, strings and punctuation apart; '#' starts a comment. */
  private static List<Token> tokenize(String q) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < q.length()) {
      char c = q.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') {
        while (i < q.length() && q.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '"' || c == '\'' || c == '`') {
        int start = i++;
        while (i < q.length() && q.charAt(i) != c) {
          i += q.charAt(i) == '\\' && c != '`' ? 2 : 1;
        }
        if (i >= q.length()) {
          throw new IllegalArgumentException("unterminated string starting at character " + (start + 1));
        }
        i++;
        out.add(new Token(q.substring(start, i), true, start, i));
      } else if (isWordChar(c)) {
        int start = i;
        while (i < q.length() && isWordChar(q.charAt(i))) {
          i++;
        }
        out.add(new Token(q.substring(start, i), false, start, i));
      } else {
        String two = i + 1 < q.length() ? q.substring(i, i + 2) : "";
        int len = TWO_CHAR_OPERATORS.contains(two) ? 2 : 1;
        out.add(new Token(q.substring(i, i + len), false, i, i + len));
        i += len;
      }
    }
    return out;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == ':' || c == '.';
  }

  private record Token(String text, boolean string, int start, int end) {
    boolean is(String s) {
      return !string && text.equals(s);
    }

    boolean identifier() {
      char first = text.charAt(0);
      return !string && (Character.isLetter(first) || first == '_' || first == ':');
    }
  }

  private static final class Parser {
    private final String field;
    private final List<Token> tokens;
    private final String original;
    private int pos;

    Parser(String field, List<Token> tokens, String original) {
      this.field = field;
      this.tokens = tokens;
      this.original = original;
    }

    Parsed query() {
      Refused refused = firstUnsupported();
      if (refused != null) {
        return refused;
      }
      Token first = peek();
      if (first != null && first.is("sum")) {
        pos++;
        // sum by (a) (x), sum (x) by (a), or sum(x)
        if (!skipModifier() || !consume("(")) {
          return shape();
        }
        int[] selector = selector();
        if (selector == null || !consume(")")) {
          return shape();
        }
        if (peek() != null && !skipModifier()) {
          return shape();
        }
        return pos == tokens.size() ? new Selector(text(selector)) : shape();
      }
      int[] selector = selector();
      if (selector == null || pos != tokens.size()) {
        return shape();
      }
      return new Selector(text(selector));
    }

    /** The specific mistakes users make, each with its own explanation, before the generic shape message. */
    private Refused firstUnsupported() {
      for (int i = 0; i < tokens.size(); i++) {
        Token t = tokens.get(i);
        boolean call = i + 1 < tokens.size() && tokens.get(i + 1).is("(");
        if (t.identifier() && call && RATE_FUNCTIONS.contains(t.text().toLowerCase(Locale.ROOT))) {
          return new Refused(field + ": " + t.text() + "() does not give a cumulative count (a per-second rate, or a "
              + "window's extrapolated increase that is not a whole number and counts requests again in every "
              + "overlapping window); write the counter itself, e.g. sum(http_requests_total{...}): the operator "
              + "takes the increments from its raw samples");
        }
        if (t.is("[")) {
          return new Refused(field + ": a range selector [...] has no place here; write the counter itself, e.g. "
              + "sum(http_requests_total{...}): the operator reads its raw samples over the right window");
        }
        if (t.is("offset") || t.is("@")) {
          return new Refused(field + ": '" + t.text() + "' moves the evaluation time; the operator pins one time "
              + "for all queries of the check itself");
        }
        if (t.is("or") || t.is("and") || t.is("unless") || t.is("vector")) {
          return new Refused(field + ": '" + t.text() + "' changes what an empty result means; an absent counter "
              + "is no data, not zero, so write only the counter, e.g. sum(http_requests_total{...})");
        }
      }
      return null;
    }

    private Refused shape() {
      return new Refused(field + ": '" + original.trim() + "' is not a counter selector; write one counter, "
          + "optionally inside sum(...), e.g. sum(http_requests_total{app=\"checkout\",revision=\"{{revision}}\"}) "
          + "(no arithmetic, no other functions)");
    }

    /** Skips an optional {@code by (...)}/{@code without (...)}; false when one is malformed or something else follows. */
    private boolean skipModifier() {
      Token t = peek();
      if (t == null || t.string() || !AGGREGATION_MODIFIERS.contains(t.text())) {
        return t != null && t.is("(");
      }
      pos++;
      if (!consume("(")) {
        return false;
      }
      while (peek() != null && !peek().is(")")) {
        Token label = tokens.get(pos++);
        if (!label.identifier() || (peek() != null && !peek().is(",") && !peek().is(")"))) {
          return false;
        }
        consume(",");
      }
      return consume(")");
    }

    /** A metric name, label matchers, or both; returns the token range or null when there is none. */
    private int[] selector() {
      int from = pos;
      Token t = peek();
      if (t == null) {
        return null;
      }
      if (t.identifier()) {
        pos++;
      }
      if (peek() != null && peek().is("{")) {
        pos++;
        while (peek() != null && !peek().is("}")) {
          Token label = tokens.get(pos++);
          Token op = peek();
          if (!label.identifier() || op == null || !MATCHERS.contains(op.text())) {
            return null;
          }
          pos++;
          Token value = peek();
          if (value == null || !value.string()) {
            return null;
          }
          pos++;
          consume(",");
        }
        if (!consume("}")) {
          return null;
        }
      }
      return pos > from ? new int[] {from, pos} : null;
    }

    private String text(int[] range) {
      return original.substring(tokens.get(range[0]).start(), tokens.get(range[1] - 1).end()).trim();
    }

    private Token peek() {
      return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private boolean consume(String s) {
      if (peek() != null && peek().is(s)) {
        pos++;
        return true;
      }
      return false;
    }
  }
}
