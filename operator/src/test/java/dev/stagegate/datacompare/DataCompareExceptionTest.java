package dev.stagegate.datacompare;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How a failure is told apart: the request's fault, the database unreachable, a statement past its timeout. */
class DataCompareExceptionTest {

  @Test
  @DisplayName("given a problem with the request itself (a missing column), then it is not the database's fault")
  void requestProblem() {
    DataCompareException e = new DataCompareException("source: key column 'x' not found in table members");
    assertThat(e.fromDatabase()).isFalse();
    assertThat(e.unreachable()).isFalse();
    assertThat(e.timedOut()).isFalse();
  }

  @Test
  @DisplayName("given no connection, a dropped one (class 08) or a terminated backend (57P01), then the database is unreachable")
  void unreachable() {
    assertThat(DataCompareException.unreachable("cannot connect").unreachable()).isTrue();
    assertThat(DataCompareException.database("I/O error", new SQLException("x", "08006"), false).unreachable()).isTrue();
    assertThat(DataCompareException.database("terminating", new SQLException("x", "57P01"), false).unreachable())
        .isTrue();
    DataCompareException syntax = DataCompareException.database("syntax", new SQLException("x", "42601"), false);
    assertThat(syntax.fromDatabase()).isTrue();
    assertThat(syntax.unreachable()).isFalse();
  }

  @Test
  @DisplayName("given a cancelled statement, then it is the timeout only when it ran the whole timeout (an administrator's cancel is not)")
  void timeoutOnlyPastIt() {
    assertThat(DataCompareException.database("x", new SQLException("cancel", "57014"), true).timedOut()).isTrue();
    assertThat(DataCompareException.database("x", new SQLException("cancel", "57014"), false).timedOut()).isFalse();
    assertThat(DataCompareException.database("x", new SQLException("interrupted", "70100"), true).timedOut()).isTrue();
    assertThat(DataCompareException.database("x", new SQLTimeoutException("timeout"), true).timedOut()).isTrue();
    assertThat(DataCompareException.database("x", new SQLException("syntax", "42601"), true).timedOut()).isFalse();
  }
}
