package dev.stagegate.bench.decisions;

/** A rollout decision procedure replayed on a trace with a simulated clock (seconds since the stage began). */
interface Policy {

    String name();

    /** The exact settings, printed under the table. */
    String settings();

    Outcome run(Scenario scenario, Trace trace);

    /** Rolled back at {@code seconds}, or promoted at {@code seconds} (the stage end unless promoted early). */
    record Outcome(boolean rolledBack, int seconds) {
        static Outcome rollback(int seconds) {
            return new Outcome(true, seconds);
        }

        static Outcome promote(int seconds) {
            return new Outcome(false, seconds);
        }
    }
}
