package dev.stagegate.datacompare;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Set;

/**
 * A comparison could not run (bad identifier, unknown column, unreachable database, SQL failure). Messages
 * name the side and table and never contain a password: they are meant for the resource's status.
 *
 * <p>Callers must tell the spec's fault from the database's: {@link #fromDatabase()} is true when the database failed
 * under a read (it could not be reached, dropped the connection, or answered a query with an error), so the same
 * request may succeed later; false when the request itself cannot work (a missing column, a key that cannot be
 * ordered alike on both sides).
 */
public class DataCompareException extends RuntimeException {
  /** PostgreSQL: terminated by an administrator, crashed, starting up or shutting down. */
  private static final Set<String> CONNECTION_ENDED = Set.of("57P01", "57P02", "57P03");
  /** A statement cancelled: PostgreSQL 57014, MariaDB 70100 (interrupted), the ODBC/JDBC HY008. */
  private static final Set<String> CANCELLED = Set.of("57014", "70100", "HY008");

  private final boolean fromDatabase;
  private final boolean unreachable;
  private final boolean timedOut;

  public DataCompareException(String message) {
    this(message, null, false, false, false);
  }

  public DataCompareException(String message, Throwable cause) {
    this(message, cause, false, false, false);
  }

  private DataCompareException(String message, Throwable cause, boolean fromDatabase, boolean unreachable,
      boolean timedOut) {
    super(message, cause);
    this.fromDatabase = fromDatabase;
    this.unreachable = unreachable;
    this.timedOut = timedOut;
  }

  /** No connection could be opened. The message is ours: a driver's may quote the URL. */
  static DataCompareException unreachable(String message) {
    return new DataCompareException(message, null, true, true, false);
  }

  /**
   * The database failed under a statement or the session's setup.
   *
   * @param pastTimeout the statement ran at least as long as its timeout, so a cancel is the timeout's doing
   */
  static DataCompareException database(String message, SQLException e, boolean pastTimeout) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    boolean lost = state.startsWith("08") || CONNECTION_ENDED.contains(state);
    boolean cancelled = CANCELLED.contains(state) || e instanceof SQLTimeoutException;
    return new DataCompareException(message, null, true, lost, pastTimeout && cancelled);
  }

  /** The database failed (unreachable, dropped, or an error answering a query), not the request. */
  public boolean fromDatabase() {
    return fromDatabase;
  }

  /** The database could not be reached or the connection ended (SQLState class 08, a terminated backend). */
  public boolean unreachable() {
    return unreachable;
  }

  /** A statement ran past the query timeout and was cancelled on the server. */
  public boolean timedOut() {
    return timedOut;
  }
}
