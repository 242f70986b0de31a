package dev.stagegate.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusSource {
  @Pattern("^https?://.+")
  @JsonPropertyDescription("Prometheus base URL, e.g. http://prometheus.monitoring:9090")
  private String url;

  @JsonPropertyDescription("Secret in the same namespace with `token` (bearer) or `username` and `password` (basic auth).")
  private SecretRef secretRef;

  public PrometheusSource() {}

  public PrometheusSource(String url, SecretRef secretRef) {
    this.url = url;
    this.secretRef = secretRef;
  }

  public String getUrl() { return url; }
  public void setUrl(String url) { this.url = url; }
  public SecretRef getSecretRef() { return secretRef; }
  public void setSecretRef(SecretRef secretRef) { this.secretRef = secretRef; }
}
