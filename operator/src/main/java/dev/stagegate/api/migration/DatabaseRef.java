package dev.stagegate.api.migration;

import dev.stagegate.api.common.SecretRef;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A database, known only through a Secret so that no credential is ever in the spec. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseRef {
  @Required
  @JsonPropertyDescription("Secret in the same namespace with `jdbcUrl` (jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql:),"
      + " and `username` and `password` unless the URL carries them.")
  private SecretRef secretRef;

  public DatabaseRef() {}

  public DatabaseRef(SecretRef secretRef) { this.secretRef = secretRef; }

  public SecretRef getSecretRef() { return secretRef; }
  public void setSecretRef(SecretRef secretRef) { this.secretRef = secretRef; }
}
