package dev.braid.common.internalapi;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.PostExchange;

import dev.braid.common.report.BudgetEntry;

/**
 * The privacy service's budget ledger: the dataset service opens a dataset's budget, the training service
 * reserves a job's planned ε before it runs, then commits what it spent or releases the reservation.
 */
public interface BudgetLedgerApi {

    /** Opens the dataset's budget (201); idempotent for the same budget, 409 for another. */
    @PostExchange("/internal/budgets")
    void register(@RequestBody BudgetRegistration budget);

    /** The dataset's budget, or 404 when it has none. */
    @GetExchange("/internal/budgets/{datasetId}")
    Budget budget(@PathVariable UUID datasetId);

    /** Reserves the job's planned ε (201): 409 when it does not fit, 404 when the dataset has no budget. */
    @PostExchange("/internal/budgets/{datasetId}/reservations")
    Reservation reserve(@PathVariable UUID datasetId, @RequestBody ReservationRequest request);

    /** Charges what the job ran; idempotent. */
    @PostExchange("/internal/budgets/{datasetId}/reservations/{jobId}/commit")
    BudgetEntry commit(@PathVariable UUID datasetId, @PathVariable UUID jobId, @RequestBody Settlement spent);

    /** Frees the reservation of a job that never ran a step; idempotent. */
    @PostExchange("/internal/budgets/{datasetId}/reservations/{jobId}/release")
    BudgetEntry release(@PathVariable UUID datasetId, @PathVariable UUID jobId);

    /** Reservations of every tenant held longer than {@code olderThanSeconds} (the reconciler's question). */
    @GetExchange("/internal/reservations/open")
    List<OpenReservation> openReservations(@RequestParam long olderThanSeconds);

    record BudgetRegistration(@NotNull UUID datasetId,
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000") Double epsilonBudget,
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "1", inclusive = false) Double delta) {
    }

    /** A dataset's (ε, δ) budget. */
    record Budget(UUID datasetId, double epsilonBudget, double delta) {
    }

    /** A job's planned DP-SGD run, and the noisy choice of α when it will run one. */
    record ReservationRequest(@NotNull UUID jobId, @NotNull @DecimalMin("0") @DecimalMax("1") Double sampleRate,
            @NotNull @DecimalMin("0") @DecimalMax("1e9") Double noiseMultiplier, @NotNull @Min(0) Long steps,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("1e9") Double selectionNoiseMultiplier) {
    }

    /** What a reservation holds of the budget, and what is left beside it. */
    record Reservation(UUID jobId, double epsilon, double epsilonRemaining) {
    }

    /** The steps the job ran, and whether its noisy choice of α ran. */
    record Settlement(@NotNull @Min(0) Long steps, Boolean selectionRun) {
    }

    /** A reservation still held: whose, on which dataset, for which job. */
    record OpenReservation(String tenant, UUID datasetId, UUID jobId) {
    }
}
