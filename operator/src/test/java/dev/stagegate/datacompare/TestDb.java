package dev.stagegate.datacompare;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Small JDBC helpers for test set-up: run statements, read a table back for brute-force diffs. */
final class TestDb {

  private TestDb() {}

  static void exec(ConnectionSource db, String... statements) {
    try (Connection c = db.open(); Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Batch insert with a prepared statement; rows are lists of JDBC values. */
  static void insert(ConnectionSource db, String table, List<String> columns, List<List<Object>> rows) {
    String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
        + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
    try (Connection c = db.open(); var ps = c.prepareStatement(sql)) {
      c.setAutoCommit(false);
      for (List<Object> row : rows) {
        for (int i = 0; i < row.size(); i++) {
          ps.setObject(i + 1, row.get(i));
        }
        ps.addBatch();
      }
      ps.executeBatch();
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** key -> the other columns as strings (engine's own rendering; fine within one engine). */
  static Map<Long, List<String>> read(ConnectionSource db, String table, String key) {
    Map<Long, List<String>> out = new TreeMap<>();
    try (Connection c = db.open(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          values.add(rs.getString(i));
        }
        out.put(rs.getLong(key), values);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return out;
  }
}
