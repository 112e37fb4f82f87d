package dev.braid.training.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.braid.common.security.Caller;
import dev.braid.common.security.CallerContext;
import dev.braid.common.security.Role;
import dev.braid.training.TrainingProperties;
import dev.braid.common.internalapi.BudgetLedgerApi;
import dev.braid.training.remote.PrivacyClient;

/**
 * Keeps every reservation of ε tied to a job that still needs it. On a schedule, on whichever
 * training instances run (every step is idempotent):
 * <ul>
 * <li>a private job that ended without a model but whose settlement failed (the privacy service
 *     was down) is settled again, for the steps it is known to have run;</li>
 * <li>a reservation held longer than {@code reconcile.reservation-grace} whose job does not exist
 *     (the submit died between reserving and queuing, and its release failed) is released.</li>
 * </ul>
 * So a budget is never blocked forever by a job that is gone, and never charged less than what ran.
 * Each round takes the jobs tried least recently first, so a job it cannot settle (logged, and
 * counted in {@code braid.training.ledger.unsettled}) goes to the back instead of keeping every newer
 * one waiting.
 */
@Component
class LedgerReconciler {

    private static final Logger log = LoggerFactory.getLogger(LedgerReconciler.class);
    private static final String SYSTEM_TENANT = "system";
    /** Jobs settled per round at most; the rest wait for the next, in the order they were last tried. */
    static final int BATCH = 100;

    private final JobRepository jobs;
    private final PrivacySettlement settlement;
    private final PrivacyClient privacy;
    private final TrainingProperties properties;

    LedgerReconciler(JobRepository jobs, PrivacySettlement settlement, PrivacyClient privacy, TrainingProperties properties,
            MeterRegistry meters) {
        this.jobs = jobs;
        this.settlement = settlement;
        this.privacy = privacy;
        this.properties = properties;
        Gauge.builder("braid.training.ledger.unsettled", jobs, JobRepository::unsettledCount)
                .description("private jobs that ended without a model and whose ledger entry is not settled yet").register(meters);
    }

    @Scheduled(initialDelayString = "${braid.training.reconcile.interval:60s}", fixedDelayString = "${braid.training.reconcile.interval:60s}")
    void reconcile() {
        try {
            for (TrainingJob job : jobs.unsettled(BATCH)) {
                jobs.settleAttempted(job.id());
                as(job.tenant(), () -> {
                    if (!settlement.settleUnfinished(job, null)) {
                        log.warn("Could not settle the ledger entry of job {} (dataset {}); it is tried again after the others",
                                job.id(), job.datasetId());
                    }
                });
            }
            List<BudgetLedgerApi.OpenReservation> held = new ArrayList<>();
            // a question about every tenant's reservations, so asked as the platform itself
            as(SYSTEM_TENANT, () -> held.addAll(privacy.openReservations(properties.reconcile().reservationGrace())));
            for (BudgetLedgerApi.OpenReservation open : held) {
                as(open.tenant(), () -> {
                    if (!jobs.exists(open.tenant(), open.jobId())) {
                        privacy.release(open.datasetId(), open.jobId());
                        log.warn("Released the reservation of job {} on dataset {}: no such job was ever queued", open.jobId(),
                                open.datasetId());
                    }
                });
            }
        }
        catch (RuntimeException ex) {
            log.warn("Ledger reconciliation did not finish, next try in {}: {}", properties.reconcile().interval(), ex.toString());
        }
    }

    private static void as(String tenant, Runnable work) {
        CallerContext.runAs(new Caller(tenant, Role.MEMBER, "training-reconciler", null, Instant.now().plusSeconds(60)), work);
    }
}
