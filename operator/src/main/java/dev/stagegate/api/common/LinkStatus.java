package dev.stagegate.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * One linked resource as this side saw it during its current run, so that a restarted operator reaches the
 * same outcome: which gates already opened (never closed again), and whether the other side's failure was
 * already acted on (never twice).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LinkStatus {
  /** The other resource, as Kind/name (same namespace). */
  private String resource;
  /** When this side first saw the link in its current run (RFC 3339); an older failure of the other side is not propagated. */
  private String since;
  /** Linked, or Failed once the other side's failure was acted on. */
  private String state;
  private String message;
  /** This side's stage indexes whose gate on the other resource has opened. */
  private List<Integer> openedGates = new ArrayList<>();

  public LinkStatus() {}

  public LinkStatus(String resource, String since) {
    this.resource = resource;
    this.since = since;
    this.state = LINKED;
  }

  public static final String LINKED = "Linked";
  public static final String FAILED = "Failed";

  public String getResource() { return resource; }
  public void setResource(String resource) { this.resource = resource; }
  public String getSince() { return since; }
  public void setSince(String since) { this.since = since; }
  public String getState() { return state; }
  public void setState(String state) { this.state = state; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public List<Integer> getOpenedGates() { return openedGates; }
  public void setOpenedGates(List<Integer> openedGates) { this.openedGates = openedGates; }

  public boolean opened(int stage) {
    return openedGates != null && openedGates.contains(stage);
  }

  public boolean failed() {
    return FAILED.equals(state);
  }
}
