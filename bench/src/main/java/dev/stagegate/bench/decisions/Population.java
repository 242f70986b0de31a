package dev.stagegate.bench.decisions;

import java.util.SplittableRandom;

/** The sets of releases the policies are replayed on. Every trace is drawn from a seed, so runs are reproducible. */
enum Population {

    MIXED("All releases: 1-500 req/s, canary share 1-50%, baseline errors 0.1-2%; half good, 30% error "
            + "regressions of +0.2 to +10 points, 20% latency regressions; 30% with a shared incident"),
    AIM("Aim check: 20-500 req/s, 10% canary; half good, half with a fivefold error rate; 30% with a shared incident"),
    BOUNDARY("H0 boundary: canary error rate exactly 1.2 x stable (maxRelativeIncrease 0.2), rates move together; "
            + "1-500 req/s, share 1-50%, 30% with a shared incident"),
    BOUNDARY_JITTER("As H0 boundary, plus 10% independent per-revision jitter of the rates every 15 s "
            + "(outside the Poisson model the check assumes)");

    static final double INCIDENT_PROBABILITY = 0.3;
    static final double REVISION_JITTER = 0.1;

    final String description;

    Population(String description) {
        this.description = description;
    }

    Scenario sample(long baseSeed, int index) {
        SplittableRandom r = new SplittableRandom(baseSeed * 0x9E3779B97F4A7C15L + ordinal() * 1_000_000_007L + index);
        double baseError = logUniform(r, 0.001, 0.02);
        double baseSlow = logUniform(r, 0.001, 0.005);
        double day = r.nextDouble() * 86_400;
        Scenario.Incident incident = r.nextDouble() < INCIDENT_PROBABILITY ? incident(r) : null;
        return switch (this) {
            case MIXED -> {
                double rps = logUniform(r, 1, 500);
                double share = logUniform(r, 0.01, 0.5);
                double u = r.nextDouble();
                if (u < 0.5) {
                    yield new Scenario(Scenario.Kind.GOOD, rps, share, baseError, baseSlow, 1, 0, 0, incident,
                            REVISION_JITTER, day, r.nextLong());
                } else if (u < 0.8) {
                    yield new Scenario(Scenario.Kind.BAD_ERRORS, rps, share, baseError, baseSlow, 1,
                            logUniform(r, 0.002, 0.10), 0, incident, REVISION_JITTER, day, r.nextLong());
                }
                yield new Scenario(Scenario.Kind.BAD_LATENCY, rps, share, baseError, baseSlow, 1, 0,
                        logUniform(r, 0.005, 0.10), incident, REVISION_JITTER, day, r.nextLong());
            }
            case AIM -> {
                double rps = logUniform(r, 20, 500);
                boolean good = r.nextDouble() < 0.5;
                yield new Scenario(good ? Scenario.Kind.GOOD : Scenario.Kind.FIVEFOLD, rps, 0.10, baseError, baseSlow,
                        good ? 1 : 5, 0, 0, incident, REVISION_JITTER, day, r.nextLong());
            }
            case BOUNDARY, BOUNDARY_JITTER -> {
                double rps = logUniform(r, 1, 500);
                double share = logUniform(r, 0.01, 0.5);
                yield new Scenario(Scenario.Kind.BOUNDARY, rps, share, baseError, baseSlow, 1.2, 0, 0, incident,
                        this == BOUNDARY ? 0 : REVISION_JITTER, day, r.nextLong());
            }
        };
    }

    private static Scenario.Incident incident(SplittableRandom r) {
        int start = (int) (r.nextDouble() * 1500);
        int duration = 180 + (int) (r.nextDouble() * 720);
        double errorAdd = logUniform(r, 0.01, 0.2);
        double slowAdd = r.nextBoolean() ? logUniform(r, 0.01, 0.1) : 0;
        return new Scenario.Incident(start, duration, errorAdd, slowAdd);
    }

    private static double logUniform(SplittableRandom r, double from, double to) {
        return Math.exp(Math.log(from) + r.nextDouble() * (Math.log(to) - Math.log(from)));
    }
}
