package dev.stagegate.analysis;

/** What one instant query returned, already sorted into the cases a check cares about. */
public sealed interface QueryResult {
  /** Exactly one sample. May still be NaN or infinite: the check decides that this is NoData. */
  record Value(double value) implements QueryResult {}

  /** An empty vector. */
  record Empty() implements QueryResult {}

  /** Several series where one was expected. */
  record Multiple(int series) implements QueryResult {}

  /** The query could not be answered: unreachable, timed out, rejected. The message holds no credential. */
  record Failed(String message) implements QueryResult {}

  /**
   * Prometheus refused the query text itself (HTTP 400, `bad_data`: a syntax error, an unknown function). Asking
   * again cannot help, so this is a spec error, not a wait. The message holds no credential.
   */
  record Refused(String message) implements QueryResult {}
}
