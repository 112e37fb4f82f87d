package dev.braid.training.remote;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClientResponseException;

import dev.braid.common.crypto.DataKeys;
import dev.braid.common.internalapi.AccountantApi;
import dev.braid.common.internalapi.BudgetLedgerApi;
import dev.braid.common.internalapi.BudgetLedgerApi.OpenReservation;
import dev.braid.common.internalapi.DataKeysApi;
import dev.braid.common.problem.ApiException;
import dev.braid.common.problem.ServiceUnavailable;
import dev.braid.common.problem.TooManyRequests;
import dev.braid.common.report.BudgetEntry;

/** The privacy service: a dataset's budget ledger, the accountant and, through {@link #keys()}, its data key. Called as the job's tenant. */
@Component
public class PrivacyClient {

    private final BudgetLedgerApi ledger;
    private final AccountantApi accountant;
    private final DataKeys keys;

    PrivacyClient(BudgetLedgerApi ledger, AccountantApi accountant, DataKeysApi dataKeys) {
        this.ledger = ledger;
        this.accountant = accountant;
        this.keys = new DataKeys(dataKeys);
    }

    public DataKeys keys() {
        return keys;
    }

    /**
     * Reserves the job's planned ε and returns it; 409 (with the ledger's detail: planned and remaining ε) when it
     * does not fit. {@code selectionSigma} adds the noisy choice of α when it will run.
     */
    public double reserve(UUID datasetId, UUID jobId, double sampleRate, double noiseMultiplier, long steps, Double selectionSigma) {
        BudgetLedgerApi.Reservation reserved = call(() -> {
            try {
                return ledger.reserve(datasetId, new BudgetLedgerApi.ReservationRequest(jobId, sampleRate, noiseMultiplier, steps,
                        selectionSigma));
            }
            catch (HttpClientErrorException.Conflict ex) {
                throw ApiException.conflict("budget-exceeded", detailOf(ex,
                        "The job's planned ε does not fit in the dataset's remaining privacy budget"));
            }
            catch (HttpClientErrorException.NotFound ex) {
                throw noBudget(datasetId);
            }
            catch (HttpClientErrorException.UnprocessableContent ex) {
                // the ledger can give these mechanisms no finite curve, or not within the accountant's work limit
                throw ApiException.unprocessable("privacy-plan-refused", detailOf(ex,
                        "The privacy ledger cannot account for the job's sampling rate and noise multiplier"));
            }
        });
        return reserved.epsilon();
    }

    /**
     * Charges the steps the job ran (and its releases after training, if they ran) and returns the ledger's entry:
     * the ε and steps charged, which for a settlement repeated with fewer steps are those of the first; idempotent.
     */
    public BudgetEntry commit(UUID datasetId, UUID jobId, long steps, boolean selectionRun) {
        return call(() -> ledger.commit(datasetId, jobId, new BudgetLedgerApi.Settlement(steps, selectionRun)));
    }

    /** Frees a reservation of a job that never ran a step. */
    public void release(UUID datasetId, UUID jobId) {
        call(() -> ledger.release(datasetId, jobId));
    }

    /**
     * The smallest σ that keeps the job's planned spending (its DP-SGD steps and, when it will run,
     * the noisy choice of α) within {@code targetEpsilon} at the budget's {@code delta}; 422 when no σ does.
     */
    public double noiseFor(double delta, double targetEpsilon, double sampleRate, long steps, Double selectionSigma) {
        List<AccountantApi.Mechanism> alongside = selectionSigma == null ? null
                : List.of(new AccountantApi.Mechanism(1.0, selectionSigma, 1L));
        AccountantApi.NoiseMultiplierRequest request = new AccountantApi.NoiseMultiplierRequest(targetEpsilon, delta,
                sampleRate, steps, Math.max(1e-6, targetEpsilon * 1e-3), alongside);
        return call(() -> {
            try {
                return accountant.noiseMultiplier(request);
            }
            catch (HttpClientErrorException.UnprocessableContent ex) {
                throw ApiException.unprocessable("target-epsilon-unreachable", detailOf(ex,
                        "No noise multiplier brings the job's ε down to " + targetEpsilon));
            }
            catch (HttpClientErrorException.TooManyRequests ex) {
                // the accountant's places are taken (by this tenant's own requests, or all of them): the
                // submit is refused the same way, and nothing was reserved
                throw new TooManyRequests("accountant-busy", detailOf(ex, "The privacy accountant is busy; try again shortly"), 1);
            }
        }).noiseMultiplier();
    }

    /** Reservations of every tenant held longer than the given time (the reconciler's question). */
    public List<OpenReservation> openReservations(java.time.Duration olderThan) {
        return call(() -> ledger.openReservations(olderThan.toSeconds()));
    }

    /** The δ of the dataset's budget (fixed when the budget was opened); 422 when the dataset has none. */
    public double delta(UUID datasetId) {
        return call(() -> {
            try {
                return ledger.budget(datasetId);
            }
            catch (HttpClientErrorException.NotFound ex) {
                throw noBudget(datasetId);
            }
        }).delta();
    }

    private static ApiException noBudget(UUID datasetId) {
        return ApiException.unprocessable("no-privacy-budget", "Dataset " + datasetId
                + " has no privacy budget to charge: create it with 'privacy' to train it privately");
    }

    /** The privacy service's own explanation in its problem response, passed on to the caller. */
    private static String detailOf(RestClientResponseException ex, String fallback) {
        try {
            org.springframework.http.ProblemDetail problem = ex.getResponseBodyAs(org.springframework.http.ProblemDetail.class);
            return problem != null && problem.getDetail() != null ? problem.getDetail() : fallback;
        }
        catch (RuntimeException unreadable) {
            return fallback;
        }
    }

    private static <T> T call(java.util.function.Supplier<T> request) {
        return ServiceUnavailable.whenUnreachable("privacy service", request);
    }
}
