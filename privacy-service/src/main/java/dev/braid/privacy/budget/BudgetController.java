package dev.braid.privacy.budget;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.braid.common.openapi.Problems;

/**
 * The budget report ({@code /api/v1/privacy/budgets/{datasetId}}) and the ledger's internal API
 * for the dataset service (registering a budget) and the training service (reserve, commit, release).
 */
@RestController
@Tag(name = "Privacy")
class BudgetController {

    private final BudgetLedger ledger;

    BudgetController(BudgetLedger ledger) {
        this.ledger = ledger;
    }

    record RegisterBudgetRequest(@NotNull UUID datasetId,
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000") Double epsilonBudget,
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "1", inclusive = false) Double delta) {
    }

    record ReserveRequest(@NotNull UUID jobId, @NotNull @DecimalMin("0") @DecimalMax("1") Double sampleRate,
            @NotNull @DecimalMin("0") @DecimalMax("1e9") Double noiseMultiplier, @NotNull @Min(0) Long steps,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("1e9") Double selectionNoiseMultiplier) {
    }

    record CommitRequest(@NotNull @Min(0) Long steps, Boolean selectionRun) {
    }

    @Schema(name = "BudgetEntry", description = "One job's ε on the ledger: reserved, committed (spent) or released")
    record EntryResponse(UUID jobId, double epsilon, String state, Instant at) {

        static EntryResponse of(LedgerEntry e) {
            return new EntryResponse(e.jobId(), e.state() == LedgerEntry.State.COMMITTED ? e.epsilonSpent() : e.epsilonPlanned(),
                    e.state().name(), e.updatedAt());
        }
    }

    @Schema(name = "PrivacyBudget")
    record BudgetResponse(UUID datasetId, double epsilonBudget, double delta, double epsilonSpent, double epsilonSpentSum,
            double epsilonReserved, double epsilonRemaining, List<EntryResponse> entries) {
    }

    @GetMapping("/api/v1/privacy/budgets/{datasetId}")
    @Operation(operationId = "getPrivacyBudget", summary = "A private dataset's ε budget, what is spent and reserved, and its ledger")
    @Problems(404)
    BudgetResponse report(@PathVariable UUID datasetId) {
        BudgetLedger.Report r = ledger.report(datasetId);
        return new BudgetResponse(r.datasetId(), r.epsilonBudget(), r.delta(), r.epsilonSpent(), r.epsilonSpentSum(),
                r.epsilonReserved(), r.epsilonRemaining(), r.entries().stream().map(EntryResponse::of).toList());
    }

    @PostMapping("/internal/budgets")
    @ResponseStatus(HttpStatus.CREATED)
    BudgetResponse register(@Valid @RequestBody RegisterBudgetRequest request) {
        ledger.register(request.datasetId(), request.epsilonBudget(), request.delta());
        return report(request.datasetId());
    }

    @PostMapping("/internal/budgets/{datasetId}/reservations")
    @ResponseStatus(HttpStatus.CREATED)
    BudgetLedger.Reservation reserve(@PathVariable UUID datasetId, @Valid @RequestBody ReserveRequest request) {
        return ledger.reserve(datasetId, request.jobId(), request.sampleRate(), request.noiseMultiplier(), request.steps(),
                request.selectionNoiseMultiplier());
    }

    @PostMapping("/internal/budgets/{datasetId}/reservations/{jobId}/commit")
    EntryResponse commit(@PathVariable UUID datasetId, @PathVariable UUID jobId, @Valid @RequestBody CommitRequest request) {
        return EntryResponse.of(ledger.commit(datasetId, jobId, request.steps(), Boolean.TRUE.equals(request.selectionRun())));
    }

    /** Cross-tenant, so internal only (service tokens): ids of reservations older than {@code olderThanSeconds}. */
    @GetMapping("/internal/reservations/open")
    List<BudgetLedger.OpenReservation> openReservations(@org.springframework.web.bind.annotation.RequestParam long olderThanSeconds) {
        return ledger.openReservations(java.time.Duration.ofSeconds(Math.max(0, olderThanSeconds)));
    }

    @PostMapping("/internal/budgets/{datasetId}/reservations/{jobId}/release")
    EntryResponse release(@PathVariable UUID datasetId, @PathVariable UUID jobId) {
        return EntryResponse.of(ledger.release(datasetId, jobId));
    }
}
