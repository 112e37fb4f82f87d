package dev.braid.training.job;

import java.time.Instant;
import java.util.UUID;

import dev.braid.common.report.JobMetrics;
import dev.braid.common.report.PrivacyReport;

/**
 * A row of {@code training.job}; {@code learningRate} is null when the job left it to the trainer;
 * {@code trainText} and {@code trainImage} say which branches it trains; {@code fineTuneText}
 * whether it fine-tunes the text encoder, null when it left that to the trainer; {@code balanceClasses}
 * whether it weights its classes equally, null when it left that out (no).
 */
public record TrainingJob(UUID id, String tenant, UUID datasetId, JobStatus status, int epochs, int batchSize,
        Double learningRate, long seed, int epoch, int step, int steps, JobMetrics metrics, UUID modelId, String error,
        int attempt, int maxAttempts, boolean cancelRequested, Instant createdAt, Instant startedAt, Instant finishedAt,
        JobPrivacy privacy, PrivacyReport privacyReport, boolean trainText, boolean trainImage, Boolean fineTuneText,
        Boolean balanceClasses) {

    public boolean isPrivate() {
        return privacy != null;
    }
}
