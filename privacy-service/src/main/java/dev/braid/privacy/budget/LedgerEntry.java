package dev.braid.privacy.budget;

import java.time.Instant;
import java.util.UUID;

/** One job's line in a dataset's ledger; {@code rdp} is its curve at the default orders (planned while reserved). */
record LedgerEntry(UUID jobId, State state, double sampleRate, double noiseMultiplier, long plannedSteps, Long spentSteps,
        Double selectionNoiseMultiplier, Boolean selectionRun, double epsilonPlanned, Double epsilonSpent, double[] rdp,
        Instant updatedAt) {

    enum State { RESERVED, COMMITTED, RELEASED }

    /** What this entry holds of the budget now: its curve while reserved or committed, nothing once released. */
    boolean holdsBudget() {
        return state != State.RELEASED;
    }
}
