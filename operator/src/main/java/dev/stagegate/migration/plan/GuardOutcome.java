package dev.stagegate.migration.plan;

import dev.stagegate.api.common.CheckResult;

/** One guard's evaluation: Pass, Fail, or Error (query failed; never a pass). */
public record GuardOutcome(String name, CheckResult result, String observed, String expected, String message) {}
