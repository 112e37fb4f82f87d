package dev.braid.training.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.braid.common.report.PrivacyReport;
import dev.braid.training.remote.PrivacyClient;

/** Settles a private job's reservation on its dataset's privacy ledger, however the job ends. */
@Component
public class PrivacySettlement {

    private static final Logger log = LoggerFactory.getLogger(PrivacySettlement.class);

    private final JobRepository jobs;
    private final PrivacyClient privacy;

    PrivacySettlement(JobRepository jobs, PrivacyClient privacy) {
        this.jobs = jobs;
        this.privacy = privacy;
    }

    /**
     * A private job that ends without a model pays for the steps it ran: {@code stepsRun} when the
     * run knows them, else those of its last checkpoint (steps after it died with the worker,
     * unreleased). Nothing run: the reservation is released. A settlement that fails is retried
     * by {@link LedgerReconciler}.
     */
    public void settle(TrainingJob job, Long stepsRun) {
        if (!job.isPrivate()) {
            return;
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
                jobs.privacyReport(job.id(), charge(job, Math.min(steps, job.privacy().steps()), false, null, null));
            }
        }
        catch (RuntimeException ex) {
            log.error("Could not settle the privacy ledger of job {}: its reservation stays held until the reconciler settles it",
                    job.id(), ex);
        }
    }

    /**
     * Commits what the job ran to its dataset's ledger and returns the job's privacy report:
     * what was charged, and how α was chosen and where the text head started ({@code alphaMethod},
     * {@code textStart}; null: not reported).
     */
    public PrivacyReport charge(TrainingJob job, long steps, boolean selectionRun, String alphaMethod, String textStart) {
        JobPrivacy p = job.privacy();
        PrivacyClient.Charge charge = privacy.commit(job.datasetId(), job.id(), steps, selectionRun);
        return new PrivacyReport(charge.epsilon(), charge.delta(), "COMMITTED", p.plannedEpsilon(), p.sampleRate(),
                p.noiseMultiplier(), p.targetEpsilon(), p.maxGradNorm(), steps, alphaMethod,
                selectionRun ? p.selectionNoiseMultiplier() : null, textStart,
                "RDP of the Poisson-subsampled Gaussian, composed over the job's mechanisms, at the budget's δ");
    }
}
