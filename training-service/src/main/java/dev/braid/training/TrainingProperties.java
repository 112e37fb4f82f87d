package dev.braid.training;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Job queue and worker settings ({@code braid.training.*}).
 *
 * @param services where the dataset, inference and privacy services listen
 * @param worker whether this instance runs jobs, and how it holds them
 * @param reconcile how the privacy ledger is kept in step with the jobs
 */
@Validated
@ConfigurationProperties("braid.training")
public record TrainingProperties(@Valid @NotNull Services services, @Valid @DefaultValue Worker worker,
        @Valid @DefaultValue Reconcile reconcile) {

    public record Services(@NotBlank String dataset, @NotBlank String inference, @NotBlank String privacy) {
    }

    /**
     * @param enabled false for an instance that only accepts and reports jobs
     * @param lease how long a claimed job stays this worker's without a heartbeat
     * @param heartbeat how often the lease is renewed (well under {@code lease})
     * @param pollInterval how often an idle worker looks for a job when no notification wakes it
     * @param maxAttempts attempts before a job that keeps failing is marked FAILED
     */
    public record Worker(@DefaultValue("true") boolean enabled, @DefaultValue("60s") Duration lease,
            @DefaultValue("10s") Duration heartbeat, @DefaultValue("5s") Duration pollInterval,
            @DefaultValue("3") @Min(1) int maxAttempts) {
    }

    /**
     * @param interval how often ended jobs with an unsettled ledger entry, and reservations without a job, are looked for
     * @param reservationGrace how old a reservation must be before a missing job is taken to mean it never came
     *        (a submit reserves, then queues the job a moment later)
     */
    public record Reconcile(@DefaultValue("60s") Duration interval, @DefaultValue("10m") Duration reservationGrace) {
    }
}
