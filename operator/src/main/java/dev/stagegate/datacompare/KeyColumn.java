package dev.stagegate.datacompare;

/**
 * One key column as found on its side.
 *
 * @param collation the text collation as shown in messages (PostgreSQL {@code default (en_US.utf8)}, MariaDB
 *     {@code utf8mb4_general_ci}); {@code null} for non-text keys
 * @param seekable whether the engine's own order of the column is code-point order, so a range filter on it
 *     can use the index; otherwise ranges are assigned by comparing a binary rendering in one scan
 */
public record KeyColumn(String name, String typeName, KeyKind kind, String collation, boolean seekable) {}
