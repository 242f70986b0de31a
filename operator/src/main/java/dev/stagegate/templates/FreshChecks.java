package dev.stagegate.templates;

import dev.stagegate.api.release.Check;
import dev.stagegate.api.templates.CheckTemplateRef;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Release's template checks as their templates say today, one entry per {@code spec.checks[i]} that has a
 * templateRef. A new canary takes these; a running one keeps what it recorded.
 *
 * @param entries the template entries, in spec order
 */
public record FreshChecks(List<Entry> entries) {
  public static final FreshChecks NONE = new FreshChecks(List.of());

  /**
   * @param index position in spec.checks
   * @param name the check's name: its own, or the template's
   * @param check the resolved check (with templateRef and args kept), or null when missing or refused
   * @param missing why the template cannot be read yet, or null
   * @param errors InvalidSpec messages naming the field, empty when resolved
   */
  public record Entry(int index, String name, CheckTemplateRef ref, Map<String, String> args, Check check,
      String missing, List<String> errors) {

    /** Whether a recorded check was resolved for this same reference and these same arguments. */
    public boolean sameAs(CheckTemplateRef otherRef, Map<String, String> otherArgs) {
      return otherRef != null && ref.kindOrDefault() == otherRef.kindOrDefault()
          && Objects.equals(ref.getName(), otherRef.getName())
          && Objects.equals(orEmpty(args), orEmpty(otherArgs));
    }

    private static Map<String, String> orEmpty(Map<String, String> m) {
      return m == null ? Map.of() : m;
    }
  }

  /** Why a new canary cannot start yet: every template that is not there, or empty when all are. */
  public Optional<String> missing() {
    String all = entries.stream().map(Entry::missing).filter(Objects::nonNull).collect(Collectors.joining("; "));
    return all.isEmpty() ? Optional.empty() : Optional.of(all);
  }

  public Optional<Entry> find(String name) {
    return entries.stream().filter(e -> e.name().equals(name)).findFirst();
  }
}
