package dev.stagegate.analysis.stats;

/**
 * Parameters of a {@link SequentialErrorCheck}.
 *
 * @param maxRelativeIncrease delta in H0: canary error rate &lt;= (1 + delta) x stable error rate
 * @param falseRollbackRate alpha: probability of ever rolling back while H0 holds, over the whole stage
 *     however often the check is evaluated
 * @param falsePromotionRate beta: probability of ever reporting {@link SequentialDecision#NO_WORSE} while the
 *     canary is in fact at least (1 + delta) times worse
 */
public record SequentialConfig(double maxRelativeIncrease, double falseRollbackRate, double falsePromotionRate) {

    /** Early promotion needs 20:1 evidence unless configured otherwise. */
    public static final double DEFAULT_FALSE_PROMOTION_RATE = 0.05;

    public SequentialConfig {
        if (!(maxRelativeIncrease >= 0) || !Double.isFinite(maxRelativeIncrease)) {
            throw new IllegalArgumentException("maxRelativeIncrease must be a finite number >= 0, got " + maxRelativeIncrease);
        }
        requireProbability("falseRollbackRate", falseRollbackRate);
        requireProbability("falsePromotionRate", falsePromotionRate);
    }

    public SequentialConfig(double maxRelativeIncrease, double falseRollbackRate) {
        this(maxRelativeIncrease, falseRollbackRate, DEFAULT_FALSE_PROMOTION_RATE);
    }

    /** rho0 = 1 + delta, the largest canary/stable rate ratio H0 allows. */
    public double nullRateRatio() {
        return 1 + maxRelativeIncrease;
    }

    /** Rollback when the log e-value reaches log(1/alpha). */
    double logRollbackThreshold() {
        return -Math.log(falseRollbackRate);
    }

    double logNoWorseThreshold() {
        return -Math.log(falsePromotionRate);
    }

    private static void requireProbability(String name, double value) {
        // Strictly inside (0, 1): alpha = 1 would make the initial e-value of 1 a decision on zero data.
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in (0, 1), got " + value);
        }
    }
}
