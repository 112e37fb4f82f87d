package dev.braid.training.job;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.braid.common.problem.ApiException;
import dev.braid.common.security.CallerContext;
import dev.braid.training.TrainingProperties;
import dev.braid.common.internalapi.DatasetRecordsApi.DatasetSummary;
import dev.braid.training.remote.DatasetClient;
import dev.braid.training.remote.PrivacyClient;

/** The queue's facade: submitting, reading and cancelling the caller's jobs. */
@Service
public class JobService {

    private final JobRepository repository;
    private final DatasetClient datasets;
    private final JobWakeups wakeups;
    private final PrivacyClient privacy;
    private final PrivacySettlement settlement;
    private final TrainingProperties properties;

    JobService(JobRepository repository, DatasetClient datasets, JobWakeups wakeups, PrivacyClient privacy,
            PrivacySettlement settlement, TrainingProperties properties) {
        this.settlement = settlement;
        this.repository = repository;
        this.datasets = datasets;
        this.wakeups = wakeups;
        this.privacy = privacy;
        this.properties = properties;
    }

    /**
     * What a caller asks of DP-SGD: σ, or the ε to fit it to (neither: the default σ); {@code alpha} null means:
     * choose it privately with {@code selectionNoiseMultiplier}. Null settings take {@link TrainingProperties.Jobs}'.
     */
    record PrivacyRequest(Double noiseMultiplier, Double targetEpsilon, Double maxGradNorm, Double alpha,
            Double selectionNoiseMultiplier, Double metricsNoiseMultiplier) {
    }

    /**
     * Queues a job once its dataset is known to exist for the caller and to allow this kind of
     * training. A private job first reserves its planned ε from the dataset's budget: 409 and
     * nothing queued when it does not fit.
     */
    TrainingJob submit(UUID datasetId, Integer epochs, Integer batchSize, Double learningRate, long seed, PrivacyRequest dp,
            java.util.Set<String> modalities, Boolean fineTuneText, Boolean balanceClasses) {
        DatasetSummary dataset = datasets.dataset(datasetId);
        if (dataset.requiresPrivacy() && dp == null) {
            throw ApiException.unprocessable("privacy-required",
                    "Dataset " + datasetId + " has a privacy budget, so every job on it must be differentially private: give 'privacy'");
        }
        UUID id = UUID.randomUUID();
        JobPrivacy jobPrivacy = null;
        // a private job runs every epoch it planned (its ε is reserved for them); any other stops early, epochs its most
        TrainingProperties.Jobs defaults = properties.jobs();
        if (epochs == null) {
            epochs = dp != null ? defaults.privateEpochs() : defaults.epochs();
        }
        if (batchSize == null) {
            batchSize = dp != null ? defaults.privateBatchSize() : defaults.batchSize();
        }
        // under DP a CNN from scratch learns little at a useful ε and takes its share of the clipping
        // bound from the text head, so a private job trains text alone unless it asks for images
        boolean trainText = modalities == null || modalities.contains("text");
        boolean trainImage = modalities == null ? dp == null : modalities.contains("image");
        if (Boolean.TRUE.equals(fineTuneText) && !trainText) {
            throw ApiException.unprocessable("no-text-branch", "fineTuneText needs a job that trains the text branch: add text to modalities");
        }
        if (Boolean.TRUE.equals(balanceClasses) && dp != null) {
            throw ApiException.unprocessable("balance-classes-private", "balanceClasses weights records by their train split's class "
                    + "counts, a statistic DP-SGD does not account for: a private job trains on its classes as they are");
        }
        if (dp != null) {
            if (!dataset.requiresPrivacy()) {
                throw ApiException.unprocessable("no-privacy-budget", "Dataset " + datasetId
                        + " has no privacy budget to charge: create it with 'privacy' to train it privately");
            }
            if (dataset.trainRecords() == 0) {
                throw ApiException.unprocessable("no-records", "Dataset " + datasetId + " has no records in its train split yet");
            }
            // α is chosen (and charged) on the validation split only when the model can have two branches; a job that
            // chooses none looks at validation for nothing else, so it trains on it too: more records at no ε cost
            Double selection = dp.alpha() == null && trainText && trainImage
                    ? (dp.selectionNoiseMultiplier() != null ? dp.selectionNoiseMultiplier() : defaults.alphaNoiseMultiplier()) : null;
            boolean trainsOnValidation = selection == null;
            long records = dataset.trainRecords() + (trainsOnValidation ? dataset.validationRecords() : 0);
            double q = Math.min(1.0, (double) batchSize / records);
            int stepsPerEpoch = (int) Math.ceil(1 / q);
            long steps = (long) stepsPerEpoch * epochs;
            double delta = privacy.delta(datasetId);
            Noise noise = noise(dp, delta, q, steps, selection);
            double metricsNoise = noise.metrics();
            Double releases = JobPrivacy.releases(selection, metricsNoise);
            double sigma = noise.sigma();
            double maxGradNorm = dp.maxGradNorm() != null ? dp.maxGradNorm() : defaults.maxGradNorm();
            double planned = privacy.reserve(datasetId, id, q, sigma, steps, releases);
            jobPrivacy = new JobPrivacy(sigma, maxGradNorm, q, stepsPerEpoch, steps, dp.alpha(), selection,
                    planned, delta, dp.targetEpsilon(), metricsNoise > 0 ? metricsNoise : null, trainsOnValidation);
        }
        try {
            repository.insert(id, CallerContext.tenant(), datasetId, epochs, batchSize, learningRate, seed,
                    properties.worker().maxAttempts(), jobPrivacy, trainText, trainImage, fineTuneText, balanceClasses);
        }
        catch (RuntimeException ex) {
            if (jobPrivacy != null) {
                privacy.release(datasetId, id);
            }
            throw ex;
        }
        // read before waking a worker: the answer reports the job as submitted, QUEUED, even when a
        // worker claims it a millisecond later
        TrainingJob queued = get(id);
        wakeups.notifyQueued(id);
        return queued;
    }

    /** A private job's DP-SGD noise σ and its test metrics' release noise (0: none). */
    private record Noise(double sigma, double metrics) {
    }

    /** How much more DP-SGD noise a target-ε job accepts for its default metrics release. */
    private static final double METRICS_RELEASE_MAX_NOISE_INCREASE = 1.1;
    /** The metrics release's noise multipliers tried for a target-ε job: the default, then coarser, then none. */
    private static final int METRICS_RELEASE_DOUBLINGS = 4;

    /**
     * σ and the metrics release's noise. Given explicitly, they are what was given (the metrics' default otherwise,
     * and σ's default when neither σ nor a target is given). For a target ε, σ is found for the whole plan; left to
     * the trainer, the metrics release is the least noisy of the default, 2×, 4×, 8× and 16× it that raises the σ the
     * target needs by at most a tenth over releasing no metrics, and none when even the coarsest costs more: a small
     * ε is spent on the model, not on describing it.
     */
    private Noise noise(PrivacyRequest dp, double delta, double q, long steps, Double selection) {
        TrainingProperties.Jobs defaults = properties.jobs();
        if (dp.targetEpsilon() == null) {
            return new Noise(dp.noiseMultiplier() != null ? dp.noiseMultiplier() : defaults.noiseMultiplier(),
                    dp.metricsNoiseMultiplier() != null ? dp.metricsNoiseMultiplier() : defaults.metricsNoiseMultiplier());
        }
        if (dp.metricsNoiseMultiplier() != null) {
            return new Noise(privacy.noiseFor(delta, dp.targetEpsilon(), q, steps,
                    JobPrivacy.releases(selection, dp.metricsNoiseMultiplier())), dp.metricsNoiseMultiplier());
        }
        double without = privacy.noiseFor(delta, dp.targetEpsilon(), q, steps, selection);
        double metrics = defaults.metricsNoiseMultiplier();
        for (int i = 0; i <= METRICS_RELEASE_DOUBLINGS; i++, metrics *= 2) {
            try {
                double with = privacy.noiseFor(delta, dp.targetEpsilon(), q, steps, JobPrivacy.releases(selection, metrics));
                if (with <= METRICS_RELEASE_MAX_NOISE_INCREASE * without) {
                    return new Noise(with, metrics);
                }
            }
            catch (ApiException ex) {
                if (!ex.type().equals("target-epsilon-unreachable")) {
                    throw ex;
                }
                // this release alone costs more than the target: a coarser one may not
            }
        }
        return new Noise(without, 0);
    }

    TrainingJob get(UUID id) {
        return repository.find(CallerContext.tenant(), id).orElseThrow(() -> JobNotFound.forId(id));
    }

    List<TrainingJob> list(UUID datasetId, int page, int size) {
        return repository.list(CallerContext.tenant(), datasetId, page, size);
    }

    long count(UUID datasetId) {
        return repository.count(CallerContext.tenant(), datasetId);
    }

    /**
     * The dataset service's call when a dataset is deleted: every job of it that has not ended is
     * cancelled as a user's cancel would (a queued one's reservation settled here, a running one
     * stops at its next heartbeat and settles itself), and the checkpoints of ended jobs are
     * deleted; a running job's goes when it ends. Idempotent; returns the jobs cancelled.
     */
    public int revokeDataset(UUID datasetId) {
        int cancelled = 0;
        for (UUID id : repository.unfinished(CallerContext.tenant(), datasetId)) {
            if (repository.requestCancel(CallerContext.tenant(), id)) {
                cancelled++;
                TrainingJob after = get(id);
                if (after.status() == JobStatus.CANCELLED) {
                    settlement.settleUnfinished(after, null);
                }
            }
        }
        repository.deleteCheckpointsOfEnded(CallerContext.tenant(), datasetId);
        return cancelled;
    }

    TrainingJob cancel(UUID id) {
        TrainingJob job = get(id);
        if (!repository.requestCancel(CallerContext.tenant(), id)) {
            throw ApiException.conflict("job-finished", "Training job " + id + " is already " + job.status());
        }
        TrainingJob after = get(id);
        if (after.status() == JobStatus.CANCELLED) {
            // cancelled while queued: no worker will settle its reservation (from the checkpoint of an
            // earlier attempt, if any), and nothing will resume from that checkpoint any more
            settlement.settleUnfinished(after, null);
            repository.deleteCheckpoint(id);
            return get(id);
        }
        return after;
    }
}
