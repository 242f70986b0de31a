package dev.stagegate.templates;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {{args.NAME}} into a template's query text. Values go in as written: they are PromQL written by the
 * Release's author, who may write any query anyway. The built-in placeholders ({{revision}} and friends) are left
 * for the query to fill at evaluation time, so a value may itself use them.
 */
public final class ArgSubstitution {
  /** Placeholders the operator fills itself; an argument of the same name would read as one of them. */
  public static final Set<String> BUILT_INS = Set.of("revision", "stableRevision", "canaryRevision", "name",
      "namespace", "stage");
  private static final Pattern ARG = Pattern.compile("\\{\\{\\s*args\\.([A-Za-z][A-Za-z0-9_]*)\\s*}}");

  private ArgSubstitution() {}

  /** The argument names a text uses, in order of first use. */
  public static Set<String> used(String text) {
    Set<String> names = new LinkedHashSet<>();
    if (text != null) {
      Matcher m = ARG.matcher(text);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /** The text with every {{args.NAME}} replaced; the caller has made sure every used name has a value. */
  public static String fill(String text, Map<String, String> values) {
    if (text == null) {
      return null;
    }
    Matcher m = ARG.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
