package dev.stagegate.datacompare;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;

/** The same scenarios with the portable (md5, cross-engine) hash forced between two PostgreSQL tables. */
@Tag("postgres")
@DisplayName("Data comparison between two PostgreSQL tables (portable hash)")
class PostgresPortableCompareTest extends PostgresCompareTest {

  @Override
  CompareOptions options() {
    return CompareOptions.defaults().withPortableOnly(true);
  }

  @Override
  ChecksumMode expectedMode() {
    return ChecksumMode.PORTABLE;
  }
}
