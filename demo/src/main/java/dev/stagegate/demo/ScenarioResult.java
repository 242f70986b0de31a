package dev.stagegate.demo;

/**
 * How one scenario ended, as the summary table and summary.json show it.
 *
 * @param outcome what happened, in the resource's own words (a phase, or a phase and a reason)
 * @param asExpected whether that is the outcome the scenario is there to show
 * @param secondsToDecision from the change that started the scenario to the operator's decision
 * @param rowsLoaded rows the migration's loader wrote and left in the target (null for Releases)
 * @param mismatches rows the data comparison found different (null for Releases)
 */
public record ScenarioResult(int number, String name, String title, String expected, String outcome,
    boolean asExpected, double secondsToDecision, Long rowsLoaded, Long mismatches, String detail) {}
