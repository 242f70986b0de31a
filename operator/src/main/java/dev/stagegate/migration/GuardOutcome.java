package dev.stagegate.migration;

import dev.stagegate.api.CheckResult;

/** One guard's evaluation: Pass, Fail, or Error (query failed; never a pass). */
public record GuardOutcome(String name, CheckResult result, String observed, String expected, String message) {}
