package dev.stagegate.analysis;

import java.util.Map;

/**
 * Fills {{revision}}, {{stableRevision}}, {{name}} and {{namespace}} into a PromQL query. Values are
 * escaped for a double-quoted PromQL string, so a name can never break out of a label matcher.
 */
public final class QueryTemplate {
  private QueryTemplate() {}

  public static String render(String query, Map<String, String> values) {
    String out = query;
    for (Map.Entry<String, String> v : values.entrySet()) {
      out = out.replace("{{" + v.getKey() + "}}", escape(v.getValue() == null ? "" : v.getValue()));
    }
    return out;
  }

  static String escape(String value) {
    StringBuilder sb = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\'' -> sb.append("\\'");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
