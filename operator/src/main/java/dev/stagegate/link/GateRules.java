package dev.stagegate.link;

import dev.stagegate.api.common.GateUntil;
import java.util.List;

/** The operator's own check of one gate (the CRD's CEL rules say most of it at admission); messages name the field. */
public final class GateRules {
  private static final String NAME = "^[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?$";

  private GateRules() {
  }

  /**
   * @param field e.g. spec.gates[0]
   * @param stage the gate's own stage index; {@code stages} how many stages its resource has
   * @param otherField dataMigration or release; {@code other} its value
   * @param finalPhase the one phase until.phase may name (Succeeded or Promoted)
   */
  public static void check(String field, Integer stage, int stages, String otherField, String other, GateUntil until,
      String finalPhase, List<String> errors) {
    if (stage == null) {
      errors.add(field + ".stage: is required");
    } else if (stage < 0 || stage >= stages) {
      errors.add(field + ".stage: must be a stage index from 0 to " + (stages - 1) + ", got " + stage);
    }
    if (other == null || other.isBlank()) {
      errors.add(field + "." + otherField + ": must name a resource in this namespace");
    } else if (!other.matches(NAME)) {
      errors.add(field + "." + otherField + ": must be a resource name (lower-case DNS subdomain), got '" + other + "'");
    }
    if (until == null) {
      errors.add(field + ".until: is required (stage or phase)");
      return;
    }
    if ((until.getStage() == null) == (until.getPhase() == null)) {
      errors.add(field + ".until: set exactly one of stage and phase");
    }
    if (until.getStage() != null && until.getStage() < 0) {
      errors.add(field + ".until.stage: must not be negative, got " + until.getStage());
    }
    if (until.getPhase() != null && !finalPhase.equals(until.getPhase())) {
      errors.add(field + ".until.phase: must be " + finalPhase + ", got '" + until.getPhase() + "'");
    }
  }
}
