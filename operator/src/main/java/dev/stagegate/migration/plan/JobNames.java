package dev.stagegate.migration.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic Job names: the same migration, stage, kind and attempt always give the same name, so a
 * restarted operator finds the Job it started instead of creating a second. At most 63 characters (the
 * job-name label limit); a long migration name is shortened and made unique by a hash of the full name.
 */
public final class JobNames {
  static final int MAX = 63;

  private JobNames() {}

  /** e.g. members-2025-pilot-load, members-2025-pilot-load-2 (second attempt). */
  public static String stage(String migration, String stage, JobKind kind, int attempt) {
    return compose(migration, "-" + stage + "-" + kind.label() + (attempt > 1 ? "-" + attempt : ""));
  }

  /** e.g. members-2025-backup. */
  public static String backup(String migration, int attempt) {
    return compose(migration, "-" + JobKind.BACKUP.label() + (attempt > 1 ? "-" + attempt : ""));
  }

  private static String compose(String migration, String suffix) {
    if (migration.length() + suffix.length() <= MAX) {
      return migration + suffix;
    }
    String hash = "-" + hash(migration);
    int keep = Math.max(1, MAX - suffix.length() - hash.length());
    String head = migration.substring(0, Math.min(keep, migration.length())).replaceAll("[-.]+$", "");
    return head + hash + suffix;
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 3);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
