package dev.stagegate.migration;

import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DatabaseRef;
import dev.stagegate.kube.SecretValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns the spec's two Secret references into connections, or says what is wrong without quoting a value. */
public final class DatabaseSecrets {
  public static final String JDBC_URL = "jdbcUrl";
  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";

  private final SecretValues secrets;

  public DatabaseSecrets(SecretValues secrets) {
    this.secrets = secrets;
  }

  /** Both databases, or why not. */
  public sealed interface Lookup {
    record Found(SecretDatabase source, SecretDatabase target) implements Lookup {}

    /** A Secret does not exist (yet): wait for it. */
    record Missing(String message) implements Lookup {}

    /** A Secret exists but cannot describe a database: an invalid spec. */
    record Invalid(List<String> errors) implements Lookup {}
  }

  public Lookup lookup(DataMigration migration) {
    String namespace = migration.getMetadata().getNamespace();
    List<String> errors = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    SecretDatabase source = read("source", "spec.source", migration.getSpec().getSource(), namespace, errors, missing);
    SecretDatabase target = read("target", "spec.target", migration.getSpec().getTarget(), namespace, errors, missing);
    if (!errors.isEmpty()) {
      return new Lookup.Invalid(errors);
    }
    if (!missing.isEmpty()) {
      return new Lookup.Missing(String.join("; ", missing));
    }
    return new Lookup.Found(source, target);
  }

  private SecretDatabase read(String role, String field, DatabaseRef ref, String namespace, List<String> errors,
      List<String> missing) {
    String name = ref.getSecretRef().getName();
    Optional<Map<String, String>> values = secrets.read(namespace, name);
    if (values.isEmpty()) {
      missing.add("Secret " + name + " (" + field + ".secretRef) not found in namespace " + namespace);
      return null;
    }
    String url = values.get().get(JDBC_URL);
    if (url == null || url.isBlank()) {
      secrets.forget(namespace, name); // a fixed Secret is read again next turn
      errors.add(field + ".secretRef: Secret " + name + " has no key " + JDBC_URL);
      return null;
    }
    url = url.trim();
    if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:mariadb:") && !url.startsWith("jdbc:mysql:")) {
      secrets.forget(namespace, name);
      errors.add(field + ".secretRef: the " + JDBC_URL + " in Secret " + name
          + " must start with jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql:");
      return null;
    }
    return new SecretDatabase(role, name, url, values.get().get(USERNAME), values.get().get(PASSWORD));
  }
}
