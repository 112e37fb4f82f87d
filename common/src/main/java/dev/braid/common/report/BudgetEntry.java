package dev.braid.common.report;

import java.time.Instant;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One job's ε on a dataset's ledger, as the budget report lists it and as a commit or release answers: with the DP-SGD
 * steps it holds (planned while reserved, charged once committed).
 */
@Schema(name = "BudgetEntry", description = "One job's ε on the ledger: reserved, committed (spent) or released")
public record BudgetEntry(UUID jobId, double epsilon, String state, Instant at,
        @Schema(description = "DP-SGD steps: planned while reserved, charged once committed") Long steps) {
}
