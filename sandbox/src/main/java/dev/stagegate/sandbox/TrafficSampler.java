package dev.stagegate.sandbox;

import java.util.SplittableRandom;

/**
 * The random draws behind {@link RevisionMetricsApp}'s traffic: how many requests arrive in a tick, whether one
 * fails, how long it takes. One seeded generator, so a simulation driven tick by tick repeats exactly.
 */
final class TrafficSampler {
  /** Above this mean, Knuth's method gets slow and exp(-mean) underflows; the normal approximation is fine there. */
  private static final double POISSON_EXACT_LIMIT = 30;

  private final SplittableRandom random;

  TrafficSampler(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** Arrivals in an interval when on average {@code mean} arrive: Poisson, as independent clients produce. */
  int arrivals(double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > POISSON_EXACT_LIMIT) {
      return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
    }
    double limit = Math.exp(-mean);
    double product = random.nextDouble();
    int count = 0;
    while (product > limit) {
      count++;
      product *= random.nextDouble();
    }
    return count;
  }

  boolean fails(double errorRate) {
    return random.nextDouble() < errorRate;
  }

  /**
   * A latency with the given mean and a long right tail (log-normal with shape {@code sigma}), the usual shape of
   * service latencies, so histogram quantiles differ from the mean as they do in production.
   */
  double latencySeconds(double meanSeconds, double sigma) {
    double mu = Math.log(meanSeconds) - sigma * sigma / 2;
    return Math.exp(mu + sigma * random.nextGaussian());
  }
}
