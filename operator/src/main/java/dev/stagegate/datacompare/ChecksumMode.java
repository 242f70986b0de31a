package dev.stagegate.datacompare;

/** Which row hash a comparison or table checksum used. Checksums of different modes never compare equal. */
public enum ChecksumMode {
  /**
   * Works on every engine and across engines: md5 of a canonical, unambiguous text rendering of the row
   * (see {@link ValueKind}); the first 64 bits of the md5 are the row hash.
   */
  PORTABLE,
  /**
   * Like {@link #PORTABLE} with the first 64 bits of SHA-256 instead of md5, for servers that refuse md5
   * (FIPS mode). Chosen when either side lacks md5; never equal to a {@link #PORTABLE} checksum.
   */
  PORTABLE_SHA256,
  /**
   * PostgreSQL 14+ on both sides with identical column types: {@code hash_record_extended(ROW(...), 0)}, the
   * hash PostgreSQL itself uses for hash partitioning. No text rendering, about 4x cheaper; equal values of
   * the same type hash equal (numeric 1.50 and 1.500 too, timestamptz by instant), NULL differs from ''.
   */
  POSTGRES_NATIVE
}
