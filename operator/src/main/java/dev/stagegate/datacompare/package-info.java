/**
 * The {@code compare} check of a {@code DataMigration}: a real data comparison over JDBC between PostgreSQL
 * and MariaDB/MySQL tables, in any combination.
 *
 * <h2>Method: checksum bisection</h2>
 * Both sides run at the same time on their own read-only, repeatable-read connection (one snapshot for the
 * whole comparison). First, count and checksum of the whole range on each side: equal, and the comparison is
 * done (the floor, one scan a side). Otherwise the range is cut into at most {@code firstLevelSegments}
 * (4,096) segments, about two per {@code rowThreshold} rows, and one query per side returns count and
 * checksum of each segment. Equal segments are done. A segment with rows on one side only is counted whole
 * (its smallest keys fetched as samples). A differing segment with at most {@code rowThreshold} (1,000) rows
 * is diffed row by row (key and 64-bit row hash only, merged in key order); a larger one is split into
 * {@code bisectionFactor} (32) children, and all children of a level are checked together.
 *
 * <h2>Keys</h2>
 * Integer, text, UUID, date and timestamp key columns, one or several (composite); ranges are
 * {@code [from, to)} in {@link dev.stagegate.datacompare.Key} order, which for text is Unicode code-point order
 * on both engines whatever the columns' collations (see {@link dev.stagegate.datacompare.SqlDialect}).
 * Integer keys are cut evenly by value; other keys at row quantiles. Keys whose column order already is
 * code-point order seek their index per range; others are assigned to segments in one scan per query.
 *
 * <p>Cost: no difference = one scan of each side (the floor); a few differences = that scan, one grouped
 * pass and the reading of their small segments; every row changed = the scans and a fetch of every row hash.
 *
 * <h2>Normalisation (portable hash)</h2>
 * Each value is rendered as canonical text in SQL on its own engine, so the same logical data hashes alike
 * on both engines (see {@link dev.stagegate.datacompare.ValueKind}):
 * <ul>
 *   <li>text: exact characters as UTF-8 bytes (a latin1 column equals a utf8mb4 one); not trimmed, case
 *       kept; CHAR(n) padding is dropped by both engines;</li>
 *   <li>NULL is distinct from every value, including the empty string;</li>
 *   <li>decimals without trailing fractional zeros (1.50 = 1.500), integers as digits;</li>
 *   <li>timestamps in UTC as {@code yyyy-MM-ddTHH:mm:ss.ffffffZ} (zone-less values are taken as UTC),
 *       dates ISO, times with six fractional digits, booleans true/false, bytes as hex;</li>
 *   <li>floats use each engine's shortest text: equal across engines for plain decimals (0.25, 3.14159),
 *       not for exponent forms (PostgreSQL 1e-05 vs MariaDB 0.00001): prefer numeric/decimal;</li>
 *   <li>other types (uuid, json, enums): the engine's own text.</li>
 * </ul>
 * Between two PostgreSQL 14+ databases with identical column types, {@code hash_record_extended} replaces the
 * md5 of the text: same equalities, about 4x cheaper.
 */
package dev.stagegate.datacompare;
