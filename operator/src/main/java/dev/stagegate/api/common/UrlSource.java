package dev.stagegate.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** Where a notification URL is read from: only a Secret, so that the URL (often a credential) is not in the spec. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UrlSource {
  @Required
  private SecretKeyRef secretKeyRef;

  public UrlSource() {}

  public UrlSource(SecretKeyRef secretKeyRef) { this.secretKeyRef = secretKeyRef; }

  public SecretKeyRef getSecretKeyRef() { return secretKeyRef; }
  public void setSecretKeyRef(SecretKeyRef secretKeyRef) { this.secretKeyRef = secretKeyRef; }
}
