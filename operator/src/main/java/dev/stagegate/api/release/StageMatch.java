package dev.stagegate.api.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** Requests a stage sends to the canary whatever its weight (needs spec.trafficRouting): by headers and/or a cookie. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StageMatch {
  @Size(max = 16)
  @JsonPropertyDescription("Every request carrying all of these headers (exact values) goes to the canary.")
  private List<HeaderValue> headers = new ArrayList<>();

  @Size(max = 1)
  @JsonPropertyDescription("A request whose Cookie header has this cookie (exact name and value, e.g. canary=always)"
      + " goes to the canary; written as a RegularExpression match on the Cookie header. At most one, and not"
      + " together with a Cookie entry in headers.")
  private List<HeaderValue> cookies;

  public StageMatch() {}

  public StageMatch(List<HeaderValue> headers) { this.headers = headers; }

  public List<HeaderValue> getHeaders() { return headers; }
  public void setHeaders(List<HeaderValue> headers) { this.headers = headers; }
  public List<HeaderValue> getCookies() { return cookies; }
  public void setCookies(List<HeaderValue> cookies) { this.cookies = cookies; }

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
