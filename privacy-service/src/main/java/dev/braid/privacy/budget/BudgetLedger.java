package dev.braid.privacy.budget;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.braid.common.internalapi.BudgetLedgerApi.OpenReservation;
import dev.braid.common.internalapi.BudgetLedgerApi.Reservation;
import dev.braid.common.problem.ApiException;
import dev.braid.common.security.CallerContext;
import dev.braid.privacy.PrivacyProperties;
import dev.braid.privacy.accountant.RdpAccountant;
import dev.braid.privacy.accountant.Work;

/**
 * A dataset's privacy budget and its ledger. Every change takes the budget row's lock first, so
 * reservations on one dataset are serialised across all instances sharing the database, and the
 * check "does the composition of everything held plus this job fit?" can never be raced past.
 * Spending is composed in RDP space: the curves of the entries are summed and converted once. A
 * job's curve is summed under the accountant's work limit ({@code braid.privacy.accountant.max-work}):
 * its q and σ are the caller's, and the series near q = 0.5 with a very large σ run long.
 */
@Service
public class BudgetLedger {

    private static final List<Double> ORDERS = RdpAccountant.DEFAULT_ORDERS;

    private final LedgerRepository repository;
    private final long maxWork;

    BudgetLedger(LedgerRepository repository, PrivacyProperties properties) {
        this.repository = repository;
        this.maxWork = properties.accountant().maxWork();
    }

    /** The ledger as reported: budget, spending composed in RDP space and summed plainly, and every entry. */
    public record Report(UUID datasetId, double epsilonBudget, double delta, double epsilonSpent, double epsilonSpentSum,
            double epsilonReserved, double epsilonRemaining, List<LedgerEntry> entries) {
    }

    /** A reservation still held: whose, on which dataset, for which job. */

    /** What a reservation holds: this job's planned ε alone, and what is left for others once it is held. */

    @Transactional
    public void register(UUID datasetId, double epsilonBudget, double delta) {
        String tenant = CallerContext.tenant();
        if (!repository.insertBudget(datasetId, tenant, epsilonBudget, delta)) {
            LedgerRepository.Budget existing = repository.findBudget(tenant, datasetId)
                    .orElseThrow(() -> ApiException.conflict("budget-exists", "Dataset " + datasetId + " already has a budget"));
            if (existing.epsilonBudget() != epsilonBudget || existing.delta() != delta) {
                throw ApiException.conflict("budget-exists", "Dataset " + datasetId + " already has a different budget");
            }
        }
    }

    /**
     * Reserves the job's planned cost, or refuses with 409 when it does not fit. Idempotent per job.
     * {@code selectionSigma}, when not null, is a further Gaussian mechanism (rate 1, one step) the
     * job may run after training, such as a noisy choice of its fusion weight.
     */
    @Transactional
    public Reservation reserve(UUID datasetId, UUID jobId, double q, double sigma, long steps, Double selectionSigma) {
        LedgerRepository.Budget budget = lock(datasetId);
        List<LedgerEntry> entries = repository.entries(datasetId);
        Optional<LedgerEntry> existing = entries.stream().filter(e -> e.jobId().equals(jobId)).findFirst();
        double[] held = held(entries);
        if (existing.isPresent()) {
            LedgerEntry e = existing.get();
            if (e.state() != LedgerEntry.State.RESERVED || e.sampleRate() != q || e.noiseMultiplier() != sigma
                    || e.plannedSteps() != steps || !java.util.Objects.equals(e.selectionNoiseMultiplier(), selectionSigma)) {
                throw ApiException.conflict("reservation-exists", "Job " + jobId + " already has a " + e.state().name().toLowerCase(java.util.Locale.ROOT)
                        + " ledger entry for other parameters");
            }
            return new Reservation(jobId, e.epsilonPlanned(), budget.epsilonBudget() - epsilon(held, budget));
        }
        double[] curve = composable(rdp(mechanisms(q, sigma, steps, selectionSigma)), jobId);
        double planned = epsilon(curve, budget);
        double[] withJob = add(held, curve);
        double after = epsilon(withJob, budget);
        if (!(after <= budget.epsilonBudget())) {
            throw BudgetExceeded.of(planned, budget.epsilonBudget() - epsilon(held, budget));
        }
        repository.insertReservation(datasetId, jobId, q, sigma, steps, selectionSigma, planned, curve);
        return new Reservation(jobId, planned, budget.epsilonBudget() - after);
    }

    /**
     * Charges what the job really ran (at most what it reserved: the steps, and the selection if it
     * ran); the rest of its reservation is freed. Idempotent: a commit of an entry already committed
     * for at least these steps (and the selection, if this one ran it) answers that entry, so a
     * settlement retried after its answer was lost (a crash between the commit and the job's report)
     * settles, whatever steps the retry counts. Only a commit that would charge more than the final
     * entry holds is a conflict: a final entry is never opened again.
     */
    @Transactional
    public LedgerEntry commit(UUID datasetId, UUID jobId, long stepsRun, boolean selectionRun) {
        LedgerRepository.Budget budget = lock(datasetId);
        LedgerEntry entry = entry(datasetId, jobId);
        if (entry.state() == LedgerEntry.State.COMMITTED && stepsRun <= entry.spentSteps()
                && (!selectionRun || Boolean.TRUE.equals(entry.selectionRun()))) {
            return entry;
        }
        if (entry.state() != LedgerEntry.State.RESERVED) {
            throw ApiException.conflict("entry-final", "Job " + jobId + "'s ledger entry is already " + entry.state()
                    + (entry.state() == LedgerEntry.State.COMMITTED ? " for " + entry.spentSteps() + " steps; it cannot be charged "
                            + stepsRun + (selectionRun ? " and its releases" : "") : ""));
        }
        if (stepsRun < 0 || stepsRun > entry.plannedSteps()) {
            throw ApiException.unprocessable("steps-out-of-range",
                    "A job commits between 0 and its " + entry.plannedSteps() + " reserved steps, not " + stepsRun);
        }
        if (selectionRun && entry.selectionNoiseMultiplier() == null) {
            throw ApiException.unprocessable("selection-not-reserved", "Job " + jobId + " reserved no selection mechanism");
        }
        double[] curve = composable(rdp(mechanisms(entry.sampleRate(), entry.noiseMultiplier(), stepsRun,
                selectionRun ? entry.selectionNoiseMultiplier() : null)), jobId);
        repository.commit(datasetId, jobId, stepsRun, selectionRun, epsilon(curve, budget), curve);
        return entry(datasetId, jobId);
    }

    /** Frees a reservation the job will not use. Idempotent. */
    @Transactional
    public LedgerEntry release(UUID datasetId, UUID jobId) {
        lock(datasetId);
        LedgerEntry entry = entry(datasetId, jobId);
        if (entry.state() == LedgerEntry.State.COMMITTED) {
            throw ApiException.conflict("entry-final", "Job " + jobId + " has committed its spending; it cannot be released");
        }
        repository.release(datasetId, jobId);
        return entry(datasetId, jobId);
    }

    /**
     * Reservations of every tenant held longer than this: for the training service's reconciler,
     * which settles or releases those whose job ended or never came to exist.
     */
    @Transactional(readOnly = true)
    public List<OpenReservation> openReservations(java.time.Duration olderThan) {
        return repository.openReservations(olderThan);
    }

    @Transactional(readOnly = true)
    public Report report(UUID datasetId) {
        LedgerRepository.Budget budget = repository.findBudget(CallerContext.tenant(), datasetId)
                .orElseThrow(() -> ApiException.notFound("Privacy budget of dataset", datasetId));
        List<LedgerEntry> entries = repository.entries(datasetId);
        double[] committed = new double[ORDERS.size()];
        double sum = 0;
        for (LedgerEntry e : entries) {
            if (e.state() == LedgerEntry.State.COMMITTED) {
                committed = add(committed, curveOf(e));
                sum += e.epsilonSpent();
            }
        }
        double spent = epsilon(committed, budget);
        double held = epsilon(held(entries), budget);
        return new Report(datasetId, budget.epsilonBudget(), budget.delta(), spent, sum, held - spent,
                budget.epsilonBudget() - held, entries);
    }

    /** A job's RDP curve, under the accountant's work limit: 422 past it, nothing reserved or charged. */
    private double[] rdp(List<RdpAccountant.Mechanism> mechanisms) {
        try {
            return RdpAccountant.rdp(mechanisms, ORDERS, Work.upTo(maxWork));
        }
        catch (Work.Exhausted ex) {
            throw ApiException.unprocessable("too-much-work", "The accountant would sum more than " + ex.limit()
                    + " series terms for this job's sampling rate and noise multiplier (the series converge slowest near q = 0.5 "
                    + "with a very large σ); nothing was reserved or charged");
        }
    }

    private static List<RdpAccountant.Mechanism> mechanisms(double q, double sigma, long steps, Double selectionSigma) {
        List<RdpAccountant.Mechanism> mechanisms = new java.util.ArrayList<>();
        if (steps > 0) {
            mechanisms.add(new RdpAccountant.Mechanism(q, sigma, steps));
        }
        if (selectionSigma != null) {
            mechanisms.add(new RdpAccountant.Mechanism(1, selectionSigma, 1));
        }
        return mechanisms;
    }

    private LedgerRepository.Budget lock(UUID datasetId) {
        return repository.lockBudget(CallerContext.tenant(), datasetId)
                .orElseThrow(() -> ApiException.notFound("Privacy budget of dataset", datasetId));
    }

    private LedgerEntry entry(UUID datasetId, UUID jobId) {
        return repository.entries(datasetId).stream().filter(e -> e.jobId().equals(jobId)).findFirst()
                .orElseThrow(() -> ApiException.notFound("Ledger entry of job", jobId));
    }

    /** The summed curve of everything that holds budget: committed spending and open reservations. */
    private double[] held(List<LedgerEntry> entries) {
        double[] total = new double[ORDERS.size()];
        for (LedgerEntry e : entries) {
            if (e.holdsBudget()) {
                total = add(total, curveOf(e));
            }
        }
        return total;
    }

    /**
     * The ledger composes only curves whose every order is finite and ≥ 0: a negative order would
     * let the next job overspend behind it, and an infinite one admits no job at all.
     */
    private static double[] composable(double[] curve, UUID jobId) {
        if (!RdpAccountant.isComposable(curve)) {
            throw ApiException.unprocessable("invalid-privacy-curve", "The accountant gives job " + jobId
                    + " no finite, non-negative RDP curve for these parameters; nothing was reserved or charged");
        }
        return curve;
    }

    /**
     * An entry's curve as the ledger composes it. A stored curve that is not finite and ≥ 0 (a row
     * written before the accountant's lower tail was fixed, or tampered with) is never composed as it
     * stands: it is computed again from the entry's own parameters, and an order that still gives no
     * valid value counts as +∞, which can only narrow what fits.
     */
    private double[] curveOf(LedgerEntry e) {
        if (RdpAccountant.isComposable(e.rdp()) && e.rdp().length == ORDERS.size()) {
            return e.rdp();
        }
        boolean committed = e.state() == LedgerEntry.State.COMMITTED;
        double[] curve = rdp(mechanisms(e.sampleRate(), e.noiseMultiplier(),
                committed ? e.spentSteps() : e.plannedSteps(),
                committed && !Boolean.TRUE.equals(e.selectionRun()) ? null : e.selectionNoiseMultiplier()));
        for (int i = 0; i < curve.length; i++) {
            if (!(curve[i] >= 0)) {
                curve[i] = Double.POSITIVE_INFINITY;
            }
        }
        return curve;
    }

    private static double[] add(double[] a, double[] b) {
        double[] sum = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            sum[i] = a[i] + b[i];
        }
        return sum;
    }

    /** ε of a curve at the budget's δ; 0 for an empty curve (nothing spent). */
    private static double epsilon(double[] curve, LedgerRepository.Budget budget) {
        boolean empty = true;
        for (double v : curve) {
            empty &= v == 0;
        }
        return empty ? 0 : RdpAccountant.toEpsilon(curve, ORDERS, budget.delta()).epsilon();
    }
}
