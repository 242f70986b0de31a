package dev.stagegate.sandbox;

/**
 * How a {@link FakeJobRunner} job's pod ended.
 *
 * @param message shown in the Job's terminal condition; keep credentials out of it, operators copy it into status
 */
public record JobOutcome(boolean succeeded, String message) {

  public static JobOutcome success() {
    return new JobOutcome(true, "Reached expected number of succeeded pods");
  }

  public static JobOutcome success(String message) {
    return new JobOutcome(true, message);
  }

  public static JobOutcome failure(String message) {
    return new JobOutcome(false, message);
  }
}
