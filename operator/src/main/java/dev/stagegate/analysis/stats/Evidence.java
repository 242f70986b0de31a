package dev.stagegate.analysis.stats;

import java.util.Arrays;

/**
 * Running log likelihood ratios per signal and grid point: {@code worse} and {@code noWorse} feed the two mixture
 * e-values, {@code expected} is what {@code worse} would have gained if the canary were exactly theta times worse,
 * which gives the smallest regression the stage could have detected so far.
 */
record Evidence(double[][] worse, double[][] noWorse, double[][] expected) {

    Evidence {
        if (worse.length == 0 || worse.length != noWorse.length || worse.length != expected.length) {
            throw new IllegalArgumentException("evidence arrays for different numbers of signals");
        }
        for (int i = 0; i < worse.length; i++) {
            if (worse[i].length != OddsMixture.WORSE.size()
                    || expected[i].length != OddsMixture.WORSE.size()
                    || noWorse[i].length != OddsMixture.NO_WORSE.size()) {
                throw new IllegalArgumentException("evidence arrays do not match the mixture grid (state written by another version?)");
            }
        }
        worse = deepCopy(worse);
        noWorse = deepCopy(noWorse);
        expected = deepCopy(expected);
    }

    static Evidence none(int signals) {
        return new Evidence(new double[signals][OddsMixture.WORSE.size()],
                new double[signals][OddsMixture.NO_WORSE.size()], new double[signals][OddsMixture.WORSE.size()]);
    }

    int signals() {
        return worse.length;
    }

    @Override
    public double[][] worse() {
        return deepCopy(worse);
    }

    @Override
    public double[][] noWorse() {
        return deepCopy(noWorse);
    }

    @Override
    public double[][] expected() {
        return deepCopy(expected);
    }

    /**
     * Drops the "no worse" evidence, keeping the "worse" side. NO_WORSE earned at one weight says nothing about the
     * next weight (more canary pods, other load), so it must be re-earned; rollback evidence stays valid.
     */
    Evidence withoutNoWorse() {
        return new Evidence(worse, new double[signals()][OddsMixture.NO_WORSE.size()], expected);
    }

    static double[][] deepCopy(double[][] values) {
        double[][] copy = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            copy[i] = values[i].clone();
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Evidence other
                && Arrays.deepEquals(worse, other.worse)
                && Arrays.deepEquals(noWorse, other.noWorse)
                && Arrays.deepEquals(expected, other.expected);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(worse) * 31 + Arrays.deepHashCode(noWorse) * 7 + Arrays.deepHashCode(expected);
    }

    @Override
    public String toString() {
        return "Evidence" + Arrays.deepToString(worse);
    }
}
