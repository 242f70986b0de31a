package dev.stagegate.api.migration;

/**
 * How text key columns are ordered and matched on both databases. There is one rule both PostgreSQL and
 * MariaDB/MySQL can be made to follow whatever their column collations say, so it must be named in the spec:
 * a reader of the spec then knows that {@code 'ABC'} and {@code 'abc'} are two keys.
 */
public enum KeyCollation {
  /** Unicode code points exactly as stored (UTF-8 byte order): case, accents and trailing spaces count. */
  Binary
}
