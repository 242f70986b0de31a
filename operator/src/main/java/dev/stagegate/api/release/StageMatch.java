package dev.stagegate.api.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** Requests a stage sends to the canary whatever its weight (needs spec.trafficRouting). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StageMatch {
  @Size(max = 16)
  @JsonPropertyDescription("Every request carrying all of these headers (exact values) goes to the canary.")
  private List<HeaderValue> headers = new ArrayList<>();

  public StageMatch() {}

  public StageMatch(List<HeaderValue> headers) { this.headers = headers; }

  public List<HeaderValue> getHeaders() { return headers; }
  public void setHeaders(List<HeaderValue> headers) { this.headers = headers; }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class HeaderValue {
    private String name;
    private String value;

    public HeaderValue() {}

    public HeaderValue(String name, String value) {
      this.name = name;
      this.value = value;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getValue() { return value; }
    public void setValue(String value) { this.value = value; }
  }
}
