package dev.stagegate.sql;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLTimeoutException;

/**
 * Why a connection failed, in words of our own. A driver's message may quote the URL, the user info or a
 * property (Connector/J: {@code Incorrect port value : S3cret@db}), so it is never passed on: the reason is
 * read from the SQLState, the vendor code and the exception types in the cause chain, none of which can
 * carry a secret.
 */
public final class ConnectionFailure {
  private ConnectionFailure() {}

  public static String reason(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    int code = e.getErrorCode();
    String reason;
    if (state.startsWith("28") || code == 1045 || e instanceof SQLInvalidAuthorizationSpecException) {
      reason = "authentication failed (wrong user name or password, or this user may not connect from here)";
    } else if (state.equals("3D000") || code == 1049) {
      reason = "the database does not exist";
    } else if (code == 1044 || state.equals("42501")) {
      reason = "the user may not use this database";
    } else if (state.equals("53300") || code == 1040) {
      reason = "the server has too many connections";
    } else if (state.equals("57P03")) {
      reason = "the server is starting up or shutting down";
    } else if (has(e, UnknownHostException.class)) {
      reason = "unknown host";
    } else if (has(e, NoRouteToHostException.class)) {
      reason = "no route to host";
    } else if (has(e, ConnectException.class)) {
      reason = "connection refused";
    } else if (has(e, SocketTimeoutException.class) || e instanceof SQLTimeoutException) {
      reason = "timed out";
    } else if (state.startsWith("08")) {
      reason = "no connection (refused, unreachable or closed)";
    } else {
      reason = "the driver refused the connection settings";
    }
    return reason + " (SQLState " + (state.isEmpty() ? "none" : state) + (code == 0 ? "" : ", error " + code) + ")";
  }

  private static boolean has(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
