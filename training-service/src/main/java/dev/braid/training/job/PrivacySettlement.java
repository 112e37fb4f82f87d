package dev.braid.training.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.braid.common.report.BudgetEntry;
import dev.braid.common.report.PrivacyReport;
import dev.braid.model.TrainingResult;
import dev.braid.training.remote.PrivacyClient;

/** Settles a private job's reservation on its dataset's privacy ledger, however the job ends. */
@Component
class PrivacySettlement {

    private static final Logger log = LoggerFactory.getLogger(PrivacySettlement.class);

    private final JobRepository jobs;
    private final PrivacyClient privacy;

    PrivacySettlement(JobRepository jobs, PrivacyClient privacy) {
        this.jobs = jobs;
        this.privacy = privacy;
    }

    /**
     * Settles a private job that produced a model: commits what its run spent (DP-SGD steps, and the noisy choice of
     * α if it ran) to its dataset's ledger, records the job's privacy report and returns it. Runs before the model is
     * published, so no model is released unpaid.
     */
    PrivacyReport settleSucceeded(TrainingJob job, TrainingResult.PrivacySpent spent) {
        boolean released = spent.selectionNoiseMultiplier() != null || spent.metricsNoiseMultiplier() != null;
        PrivacyReport report = commit(job, spent.steps(), released, spent.alphaMethod(), spent.textStart(), spent);
        jobs.privacyReport(job.id(), report);
        return report;
    }

    /**
     * Settles a private job that ends without a model: it pays for the steps it ran, {@code stepsRun} when the run
     * knows them, else those of its last checkpoint (steps after it died with the worker, unreleased). Nothing run:
     * the reservation is released. Records the job's privacy report. A settlement that fails is retried by
     * {@link LedgerReconciler}; a job that is not private has nothing to settle. True when it is settled.
     */
    boolean settleUnfinished(TrainingJob job, Long stepsRun) {
        if (!job.isPrivate()) {
            return true;
        }
        if (stepsRun != null) {
            jobs.recordPrivateSteps(job.id(), stepsRun); // so a retried settlement charges them too
        }
        long steps = stepsRun != null ? stepsRun : jobs.privateStepsCheckpointed(job.id());
        try {
            if (steps == 0) {
                privacy.release(job.datasetId(), job.id());
                jobs.privacyReport(job.id(), PrivacyReport.released(job.privacy().delta()));
            }
            else {
                jobs.privacyReport(job.id(), commit(job, Math.min(steps, job.privacy().steps()), false, null, null, null));
            }
            return true;
        }
        catch (RuntimeException ex) {
            log.error("Could not settle the privacy ledger of job {}: its reservation stays held until the reconciler settles it",
                    job.id(), ex);
            return false;
        }
    }

    /**
     * Commits what the job ran to its dataset's ledger; returns its privacy report: what was charged, how α was
     * chosen and where the text head started ({@code alphaMethod}, {@code textStart}; null: not reported).
     * {@code released}: whether its releases after training ran (the noisy α and the noisy test metrics, one
     * mechanism on the ledger, see {@link JobPrivacy#releases()}); {@code spent}: what they were, null when none ran.
     */
    private PrivacyReport commit(TrainingJob job, long steps, boolean released, String alphaMethod, String textStart,
            TrainingResult.PrivacySpent spent) {
        JobPrivacy p = job.privacy();
        BudgetEntry charged = privacy.commit(job.datasetId(), job.id(), steps, released);
        // δ is the budget's, fixed when it was opened; the job took it down at submit. The steps are the ledger's: a
        // settlement repeated after its answer was lost may count fewer than were charged
        return new PrivacyReport(charged.epsilon(), p.delta(), "COMMITTED", p.plannedEpsilon(), p.sampleRate(),
                p.noiseMultiplier(), p.targetEpsilon(), p.maxGradNorm(), charged.steps() != null ? charged.steps() : steps, alphaMethod,
                spent == null ? null : spent.selectionNoiseMultiplier(), textStart,
                "RDP of the Poisson-subsampled Gaussian, composed over the job's mechanisms, at the budget's δ",
                spent == null ? null : spent.metricsNoiseMultiplier());
    }
}
