package dev.stagegate.templates;

import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.SequentialLatencyCheck;
import dev.stagegate.api.templates.CheckTemplateRef;
import dev.stagegate.api.templates.CheckTemplateSpec;
import dev.stagegate.api.templates.TemplateArg;
import dev.stagegate.api.templates.TemplateKind;
import dev.stagegate.common.Copies;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves each {@code spec.checks[i].templateRef} against today's templates: copies the template's check, fills
 * in the arguments and names it. Every refusal names the field it is about; a template that is not there (yet) is
 * not a refusal, because in GitOps it may arrive in the same commit as the Release.
 */
public final class TemplateResolver {
  private TemplateResolver() {}

  public static FreshChecks resolve(List<Check> checks, String namespace, TemplateLookup lookup) {
    return resolve(checks, "spec.checks", namespace, lookup);
  }

  /** The same for another list of checks, e.g. a DataMigration's spec.verify; messages name {@code list}[i]. */
  public static FreshChecks resolve(List<Check> checks, String list, String namespace, TemplateLookup lookup) {
    List<FreshChecks.Entry> entries = new ArrayList<>();
    if (checks != null) {
      for (int i = 0; i < checks.size(); i++) {
        Check entry = checks.get(i);
        if (entry.getTemplateRef() != null) {
          entries.add(resolve(list + "[" + i + "]", i, entry, namespace, lookup));
        }
      }
    }
    return entries.isEmpty() ? FreshChecks.NONE : new FreshChecks(List.copyOf(entries));
  }

  /** The name a check entry goes by: its own, or its template's. */
  public static String nameOf(Check entry) {
    return entry.getName() != null || entry.getTemplateRef() == null ? entry.getName() : entry.getTemplateRef().getName();
  }

  private static FreshChecks.Entry resolve(String field, int index, Check entry, String namespace,
      TemplateLookup lookup) {
    CheckTemplateRef ref = entry.getTemplateRef();
    String name = nameOf(entry);
    Map<String, String> given = entry.getArgs() == null ? Map.of() : entry.getArgs();
    if (ref.getName() == null || ref.getName().isBlank()) {
      return refused(index, name, entry, List.of(field + ".templateRef.name: is required"));
    }
    Optional<CheckTemplateSpec> found = lookup.find(ref.kindOrDefault(), namespace, ref.getName());
    if (found.isEmpty()) {
      String where = ref.kindOrDefault() == TemplateKind.CheckTemplate ? " in namespace " + namespace : "";
      return new FreshChecks.Entry(index, name, ref, entry.getArgs(), null,
          field + ".templateRef: " + ref.describe() + " not found" + where, List.of());
    }
    CheckTemplateSpec template = found.get();
    List<String> errors = new ArrayList<>();
    Check body = template.getCheck();
    if (body == null || (body.getPrometheus() == null && body.getSequential() == null
        && body.getSequentialLatency() == null)) {
      errors.add(field + ".templateRef: " + ref.describe()
          + " has no check (spec.check needs prometheus, sequential or sequentialLatency)");
      return refused(index, name, entry, errors);
    }
    if (body.getTemplateRef() != null) {
      errors.add(field + ".templateRef: " + ref.describe() + " refers to another template; templates do not nest");
    }
    Map<String, String> values = arguments(field, ref, template.getArgs(), given, errors);
    for (String used : usedArgs(body)) {
      if (!values.containsKey(used) && declared(template.getArgs()).stream().noneMatch(used::equals)) {
        errors.add(field + ".templateRef: " + ref.describe() + " uses {{args." + used + "}} but declares no argument '"
            + used + "'");
      }
    }
    if (!errors.isEmpty()) {
      return refused(index, name, entry, errors);
    }
    Check resolved = Copies.deep(body, Check.class);
    resolved.setName(name);
    resolved.setTemplateRef(Copies.deep(ref, CheckTemplateRef.class));
    resolved.setArgs(entry.getArgs());
    if (resolved.getPrometheus() != null) {
      resolved.getPrometheus().setQuery(ArgSubstitution.fill(resolved.getPrometheus().getQuery(), values));
    }
    if (resolved.getSequential() != null) {
      resolved.getSequential().setErrors(ArgSubstitution.fill(resolved.getSequential().getErrors(), values));
      resolved.getSequential().setRequests(ArgSubstitution.fill(resolved.getSequential().getRequests(), values));
    }
    SequentialLatencyCheck latency = resolved.getSequentialLatency();
    if (latency != null) {
      latency.setBucket(ArgSubstitution.fill(latency.getBucket(), values));
      latency.setCount(ArgSubstitution.fill(latency.getCount(), values));
      if (latency.getSlowerThan() != null) {
        latency.setSlowerThan(latency.getSlowerThan().stream().map(le -> ArgSubstitution.fill(le, values)).toList());
      }
    }
    return new FreshChecks.Entry(index, name, ref, entry.getArgs(), resolved, null, List.of());
  }

  /** The value of every declared argument: given, else the default; unknown, missing and colliding ones refused. */
  private static Map<String, String> arguments(String field, CheckTemplateRef ref, List<TemplateArg> declared,
      Map<String, String> given, List<String> errors) {
    Map<String, String> values = new LinkedHashMap<>();
    Set<String> names = declared(declared);
    for (TemplateArg arg : declared == null ? List.<TemplateArg>of() : declared) {
      if (ArgSubstitution.BUILT_INS.contains(arg.getName())) {
        errors.add(field + ".templateRef: " + ref.describe() + " declares argument '" + arg.getName()
            + "', which collides with the built-in {{" + arg.getName() + "}}; rename the argument");
      } else if (given.containsKey(arg.getName())) {
        values.put(arg.getName(), given.get(arg.getName()));
      } else if (arg.getDefaultValue() != null) {
        values.put(arg.getName(), arg.getDefaultValue());
      } else {
        errors.add(field + ".args." + arg.getName() + ": is required by " + ref.describe() + " (it has no default)");
      }
    }
    for (String key : given.keySet()) {
      if (!names.contains(key)) {
        errors.add(field + ".args." + key + ": " + ref.describe() + " has no argument '" + key + "'"
            + (names.isEmpty() ? " (it takes none)" : " (it has: " + String.join(", ", names) + ")"));
      }
    }
    return values;
  }

  private static Set<String> declared(List<TemplateArg> declared) {
    Set<String> names = new TreeSet<>();
    if (declared != null) {
      declared.forEach(a -> names.add(a.getName()));
    }
    return names;
  }

  private static Set<String> usedArgs(Check body) {
    Set<String> used = new TreeSet<>();
    if (body.getPrometheus() != null) {
      used.addAll(ArgSubstitution.used(body.getPrometheus().getQuery()));
    }
    if (body.getSequential() != null) {
      used.addAll(ArgSubstitution.used(body.getSequential().getErrors()));
      used.addAll(ArgSubstitution.used(body.getSequential().getRequests()));
    }
    if (body.getSequentialLatency() != null) {
      used.addAll(ArgSubstitution.used(body.getSequentialLatency().getBucket()));
      used.addAll(ArgSubstitution.used(body.getSequentialLatency().getCount()));
      if (body.getSequentialLatency().getSlowerThan() != null) {
        body.getSequentialLatency().getSlowerThan().forEach(le -> used.addAll(ArgSubstitution.used(le)));
      }
    }
    return used;
  }

  private static FreshChecks.Entry refused(int index, String name, Check entry, List<String> errors) {
    return new FreshChecks.Entry(index, name, entry.getTemplateRef(), entry.getArgs(), null, null, List.copyOf(errors));
  }
}
