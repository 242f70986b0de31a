package dev.stagegate.datacompare;

import java.time.Duration;

/**
 * Row count and order-independent checksum of a table's range: equal values mean the compared columns hold
 * the same normalised data (a 64-bit checksum: a false "equal" has odds of about 2^-64). Compare two
 * checksums with {@link #sameDataAs}: duration and query count are not part of the data.
 *
 * @param checksum 16 lower-case hex digits
 */
public record TableChecksum(KeyRange range, long rows, String checksum, ChecksumMode mode, Duration duration, int queries) {

  public boolean sameDataAs(TableChecksum other) {
    return mode == other.mode && rows == other.rows && checksum.equals(other.checksum);
  }

  static String hex(long checksum) {
    return String.format("%016x", checksum);
  }
}
