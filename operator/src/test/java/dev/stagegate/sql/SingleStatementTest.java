package dev.stagegate.sql;

import static dev.stagegate.sql.SingleStatement.Engine.MARIADB;
import static dev.stagegate.sql.SingleStatement.Engine.POSTGRESQL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SingleStatementTest {

  @ParameterizedTest
  @DisplayName("given one statement, with ';' only inside strings, quoted names or comments, or at the end, then both engines accept it")
  @ValueSource(strings = {
      "select current_database()",
      "SELECT count(*) FROM members WHERE note = 'a;b'",
      "SELECT count(*) FROM members WHERE note = 'it''s; fine'",
      "SELECT \"odd;name\" FROM t",
      "SELECT 1 -- trailing; comment",
      "SELECT 1 /* a; comment */",
      "SELECT 1;",
      "SELECT 1 ;  \n ; -- done",
      "SELECT 1; /* done */",
      "SELECT a$b FROM t",
  })
  void accepted(String sql) {
    assertThat(SingleStatement.problem(sql, POSTGRESQL)).isEmpty();
    assertThat(SingleStatement.problem(sql, MARIADB)).isEmpty();
  }

  @Test
  @DisplayName("given ';' inside a dollar quote, a nested comment or backticks, then only the engine that reads them as quotes accepts it")
  void engineSpecificQuoting() {
    for (String postgresOnly : new String[] {"SELECT $$a;b$$", "SELECT $tag$ ; $ ; $tag$",
        "SELECT 1 /* nested /* ; */ still comment; */"}) {
      assertThat(SingleStatement.problem(postgresOnly, POSTGRESQL)).as(postgresOnly).isEmpty();
      assertThat(SingleStatement.problem(postgresOnly, MARIADB)).as(postgresOnly).isPresent();
      assertThat(SingleStatement.problemOnEveryEngine(postgresOnly)).as(postgresOnly).isEmpty();
    }
    assertThat(SingleStatement.problem("SELECT `odd;name` FROM t", MARIADB)).isEmpty();
    assertThat(SingleStatement.problem("SELECT `odd;name` FROM t", POSTGRESQL)).isPresent();
  }

  @ParameterizedTest
  @DisplayName("given statements chained on every engine, then they are refused before the engine is known")
  @ValueSource(strings = {
      // the review's PostgreSQL escape, and the plain variants
      "COMMIT; SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE; COMMIT; DELETE FROM members",
      "SELECT 1; DELETE FROM members",
      "BEGIN READ WRITE; DELETE FROM members",
      "SET TRANSACTION READ WRITE; DELETE FROM members",
      // MariaDB's session escape
      "SET SESSION TRANSACTION READ WRITE; DROP TABLE members",
      "SELECT 1; 'x'",
      "SELECT 1;SELECT 2",
      "SELECT 'a;b'; DELETE FROM members -- ;",
  })
  void refusedEverywhere(String sql) {
    assertThat(SingleStatement.problemOnEveryEngine(sql))
        .hasValueSatisfying(p -> assertThat(p).startsWith("must be a single SQL statement"));
  }

  @ParameterizedTest
  @DisplayName("given text one lexing of an engine reads as two statements, then that engine refuses it (its server may use that lexing)")
  @ValueSource(strings = {
      // standard strings end at the first quote: the backslash does not hide it
      "SELECT '\\'; DELETE FROM members; -- '",
      // E'...' takes backslash escapes on PostgreSQL
      "SELECT E'\\'; DELETE FROM members; -- '",
      // "--" without a blank is arithmetic on MariaDB, a comment on PostgreSQL
      "SELECT 1 --;DELETE FROM members",
      // "#" is a comment on MariaDB only
      "SELECT 1 # ; DELETE FROM members",
      // MariaDB runs the content of /*! ... */
      "SELECT 1 /*! ; DELETE FROM members */",
      // a dollar quote on PostgreSQL is plain text on MariaDB
      "SELECT $$ ; DELETE FROM members; $$",
  })
  void refusedByOneEngine(String sql) {
    boolean postgres = SingleStatement.problem(sql, POSTGRESQL).isPresent();
    boolean mariadb = SingleStatement.problem(sql, MARIADB).isPresent();
    assertThat(postgres || mariadb).as("refused by at least one engine").isTrue();
  }

  @Test
  @DisplayName("given the lexing differences, then each engine refuses exactly the texts its server would split")
  void whichEngineRefuses() {
    assertThat(SingleStatement.problem("SELECT '\\'; DELETE FROM members; -- '", POSTGRESQL)).isPresent();
    assertThat(SingleStatement.problem("SELECT '\\'; DELETE FROM members; -- '", MARIADB)).isPresent(); // NO_BACKSLASH_ESCAPES
    assertThat(SingleStatement.problem("SELECT 1 --;DELETE FROM members", POSTGRESQL)).isEmpty();
    assertThat(SingleStatement.problem("SELECT 1 --;DELETE FROM members", MARIADB)).isPresent();
    assertThat(SingleStatement.problem("SELECT 1 # ; DELETE FROM members", POSTGRESQL)).isPresent();
    assertThat(SingleStatement.problem("SELECT 1 # ; DELETE FROM members", MARIADB)).isEmpty();
    assertThat(SingleStatement.problem("SELECT 1 /*! ; DELETE FROM members */", MARIADB)).isPresent();
    assertThat(SingleStatement.problem("SELECT E'\\'; DELETE FROM members; -- '", POSTGRESQL)).isEmpty();
    assertThat(SingleStatement.problem("SELECT 'a\\';' ; DELETE FROM members -- '", MARIADB)).isPresent();
  }

  @Test
  @DisplayName("given one statement with terminators, then the text to run drops them; given two, then it throws before anything runs")
  void textToRun() {
    assertThat(SingleStatement.of("  SELECT 1 ; ;\n", POSTGRESQL)).isEqualTo("SELECT 1");
    assertThat(SingleStatement.of("SELECT ';'", MARIADB)).isEqualTo("SELECT ';'");
    assertThatThrownBy(() -> SingleStatement.of("SELECT 1; SELECT 2", POSTGRESQL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("character 11");
  }
}
