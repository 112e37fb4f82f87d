package dev.braid.privacy.budget;

import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.braid.common.internalapi.BudgetLedgerApi;
import dev.braid.common.openapi.Problems;
import dev.braid.common.report.BudgetEntry;

/**
 * The budget report ({@code /api/v1/privacy/budgets/{datasetId}}) and the ledger's internal API
 * for the dataset service (registering a budget) and the training service (reserve, commit, release).
 */
@RestController
@Tag(name = "Privacy")
class BudgetController implements BudgetLedgerApi {

    private final BudgetLedger ledger;

    BudgetController(BudgetLedger ledger) {
        this.ledger = ledger;
    }

    private static BudgetEntry entry(LedgerEntry e) {
        return new BudgetEntry(e.jobId(), e.state() == LedgerEntry.State.COMMITTED ? e.epsilonSpent() : e.epsilonPlanned(),
                e.state().name(), e.updatedAt(), e.state() == LedgerEntry.State.COMMITTED ? e.spentSteps() : e.plannedSteps());
    }

    @Schema(name = "PrivacyBudget")
    record BudgetResponse(UUID datasetId, double epsilonBudget, double delta, double epsilonSpent, double epsilonSpentSum,
            double epsilonReserved, double epsilonRemaining, List<BudgetEntry> entries) {
    }

    @GetMapping("/api/v1/privacy/budgets/{datasetId}")
    @Operation(operationId = "getPrivacyBudget", summary = "A private dataset's ε budget, what is spent and reserved, and its ledger")
    @Problems(404)
    BudgetResponse report(@PathVariable UUID datasetId) {
        BudgetLedger.Report r = ledger.report(datasetId);
        return new BudgetResponse(r.datasetId(), r.epsilonBudget(), r.delta(), r.epsilonSpent(), r.epsilonSpentSum(),
                r.epsilonReserved(), r.epsilonRemaining(), r.entries().stream().map(BudgetController::entry).toList());
    }

    @Override
    @ResponseStatus(HttpStatus.CREATED)
    public void register(@Valid @RequestBody BudgetRegistration request) {
        ledger.register(request.datasetId(), request.epsilonBudget(), request.delta());
    }

    @Override
    public Budget budget(@PathVariable UUID datasetId) {
        BudgetLedger.Report r = ledger.report(datasetId);
        return new Budget(r.datasetId(), r.epsilonBudget(), r.delta());
    }

    @Override
    @ResponseStatus(HttpStatus.CREATED)
    public Reservation reserve(@PathVariable UUID datasetId, @Valid @RequestBody ReservationRequest request) {
        return ledger.reserve(datasetId, request.jobId(), request.sampleRate(), request.noiseMultiplier(), request.steps(),
                request.selectionNoiseMultiplier());
    }

    @Override
    public BudgetEntry commit(@PathVariable UUID datasetId, @PathVariable UUID jobId, @Valid @RequestBody Settlement request) {
        return entry(ledger.commit(datasetId, jobId, request.steps(), Boolean.TRUE.equals(request.selectionRun())));
    }

    /** Cross-tenant, so internal only (service tokens): ids of reservations older than {@code olderThanSeconds}. */
    @Override
    public List<OpenReservation> openReservations(@RequestParam long olderThanSeconds) {
        return ledger.openReservations(java.time.Duration.ofSeconds(Math.max(0, olderThanSeconds)));
    }

    @Override
    public BudgetEntry release(@PathVariable UUID datasetId, @PathVariable UUID jobId) {
        return entry(ledger.release(datasetId, jobId));
    }
}
