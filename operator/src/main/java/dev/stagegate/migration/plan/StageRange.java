package dev.stagegate.migration.plan;

/** One stage's keys [keyFrom, keyTo) and the source rows in it. */
public record StageRange(long keyFrom, long keyTo, long rows) {}
