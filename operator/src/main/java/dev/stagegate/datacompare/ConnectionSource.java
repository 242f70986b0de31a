package dev.stagegate.datacompare;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens a JDBC connection for one side of a comparison. */
public interface ConnectionSource {

  Connection open() throws SQLException;

  /** Where the connection goes, for messages: never contains a password. */
  String description();

  /** Removes any secret this source knows of from a message (driver errors may echo URLs). */
  default String redact(String message) {
    return message;
  }
}
