package dev.braid.training;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Job queue and worker settings ({@code braid.training.*}).
 *
 * @param services where the dataset, inference and privacy services listen
 * @param worker whether this instance runs jobs, and how it holds them
 * @param reconcile how the privacy ledger is kept in step with the jobs
 * @param jobs what a job gets for each setting it leaves out
 * @param events how jobs' event streams are served
 */
@Validated
@ConfigurationProperties("braid.training")
public record TrainingProperties(@Valid @NotNull Services services, @Valid @DefaultValue Worker worker,
        @Valid @DefaultValue Reconcile reconcile, @Valid @DefaultValue Jobs jobs, @Valid @DefaultValue Events events) {

    /**
     * @param poll how often an open stream looks for new events
     * @param heartbeat the longest a stream stays silent: an SSE comment is sent after this much quiet, so a proxy's
     *        idle timeout never ends a live stream and a client that went away is noticed at the next write
     * @param maxDuration how long one stream stays open; the client reconnects with Last-Event-ID and misses nothing
     * @param maxStreams streams this instance serves at once (each is polled); more are refused with 503
     */
    public record Events(@DefaultValue("500ms") Duration poll, @DefaultValue("15s") Duration heartbeat,
            @DefaultValue("2h") Duration maxDuration, @DefaultValue("1000") @Min(1) int maxStreams) {
    }

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

    /**
     * A job's defaults, the model's tuned ones (measured in {@code docs/results.md}, and {@code TrainingOptions}'
     * constants, which a test holds these to). A non-private job stops early, so {@code epochs} is its most; a
     * private one runs every epoch its ε was reserved for.
     *
     * @param epochs the most epochs of a non-private job
     * @param privateEpochs the epochs of a private job
     * @param batchSize a non-private job's batch
     * @param privateBatchSize a private job's expected batch (its sampling rate is this over the records it trains on:
     *        the train split, and the validation split too when it chooses no α there)
     * @param textLearningRate the text branch's rate without DP
     * @param privateTextLearningRate the text head's rate under DP-SGD (it starts from its labels' names)
     * @param imageLearningRate the image branch's rate
     * @param patience epochs without improvement before a non-private branch stops
     * @param noiseMultiplier a private job's noise σ when it gives neither σ nor a target ε
     * @param maxGradNorm a private job's per-example clipping bound
     * @param alphaNoiseMultiplier the noise of a private job's report-noisy-max choice of α
     * @param metricsNoiseMultiplier the noise of a private job's released test metrics (over their counts' sensitivity)
     */
    public record Jobs(@DefaultValue("60") @Min(1) int epochs, @DefaultValue("30") @Min(1) int privateEpochs,
            @DefaultValue("32") @Min(1) int batchSize, @DefaultValue("256") @Min(1) int privateBatchSize,
            @DefaultValue("1e-2") @Positive double textLearningRate, @DefaultValue("3e-2") @Positive double privateTextLearningRate,
            @DefaultValue("1e-3") @Positive double imageLearningRate, @DefaultValue("8") @Min(0) int patience,
            @DefaultValue("1.0") @Positive double noiseMultiplier, @DefaultValue("1.0") @Positive double maxGradNorm,
            @DefaultValue("5.0") @Positive double alphaNoiseMultiplier, @DefaultValue("5.0") @Positive double metricsNoiseMultiplier) {
    }
}
