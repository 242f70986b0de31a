package dev.stagegate.datacompare;

/**
 * A comparison could not run (bad identifier, unknown column, unreachable database, SQL failure). Messages
 * name the side and table and never contain a password: they are meant for the resource's status.
 */
public class DataCompareException extends RuntimeException {

  public DataCompareException(String message) {
    super(message);
  }

  public DataCompareException(String message, Throwable cause) {
    super(message, cause);
  }
}
