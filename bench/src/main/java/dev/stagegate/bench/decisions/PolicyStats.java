package dev.stagegate.bench.decisions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Tallies of one policy over one population. */
final class PolicyStats {

    int bad;
    int badRolledBack;
    long badBlastSum;
    /** Failed canary requests of bad canaries until the decision, without the charge for missed ones. */
    long badBlastBeforeDecisionSum;
    double badExcessSum;
    final List<Integer> badDecisionSeconds = new ArrayList<>();
    int goodClean;
    int goodCleanRolledBack;
    int goodIncident;
    int goodIncidentRolledBack;
    final List<Integer> goodPromotionSeconds = new ArrayList<>();

    void add(Scenario scenario, Policy.Outcome outcome, long blast, long blastBeforeDecision, double excess) {
        if (scenario.bad()) {
            bad++;
            badRolledBack += outcome.rolledBack() ? 1 : 0;
            badBlastSum += blast;
            badBlastBeforeDecisionSum += blastBeforeDecision;
            badExcessSum += excess;
            badDecisionSeconds.add(outcome.seconds());
        } else {
            if (scenario.hasIncident()) {
                goodIncident++;
                goodIncidentRolledBack += outcome.rolledBack() ? 1 : 0;
            } else {
                goodClean++;
                goodCleanRolledBack += outcome.rolledBack() ? 1 : 0;
            }
            if (!outcome.rolledBack()) {
                goodPromotionSeconds.add(outcome.seconds());
            }
        }
    }

    double detectionRate() {
        return ratio(badRolledBack, bad);
    }

    double meanBlast() {
        return bad == 0 ? Double.NaN : (double) badBlastSum / bad;
    }

    double meanBlastBeforeDecision() {
        return bad == 0 ? Double.NaN : (double) badBlastBeforeDecisionSum / bad;
    }

    double meanExcessBlast() {
        return bad == 0 ? Double.NaN : badExcessSum / bad;
    }

    int good() {
        return goodClean + goodIncident;
    }

    int goodRolledBack() {
        return goodCleanRolledBack + goodIncidentRolledBack;
    }

    double falseRollbackRate() {
        return ratio(goodRolledBack(), good());
    }

    static double ratio(int count, int total) {
        return total == 0 ? Double.NaN : (double) count / total;
    }

    /** Nearest-rank quantile; NaN for an empty list. */
    static double quantile(List<Integer> values, double q) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Integer> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** Wilson score interval (95%) of a proportion, as {low, high}. */
    static double[] wilson(int count, int total) {
        if (total == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double z = 1.959964;
        double p = (double) count / total;
        double denominator = 1 + z * z / total;
        double centre = (p + z * z / (2 * total)) / denominator;
        double half = z * Math.sqrt(p * (1 - p) / total + z * z / (4.0 * total * total)) / denominator;
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }
}
