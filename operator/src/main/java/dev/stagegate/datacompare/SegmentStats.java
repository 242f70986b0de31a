package dev.stagegate.datacompare;

/**
 * Row count and order-independent checksum of one segment on one side. The checksum is the sum of
 * 64-bit row hashes modulo 2^64, so PostgreSQL's signed and MariaDB's unsigned renderings agree.
 */
record SegmentStats(long count, long checksum) {

  static final SegmentStats EMPTY = new SegmentStats(0, 0);
}
