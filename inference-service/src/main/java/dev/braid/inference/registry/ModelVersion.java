package dev.braid.inference.registry;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.braid.common.report.JobMetrics;

/** A registered model version and its lineage. */
public record ModelVersion(UUID id, String tenant, UUID datasetId, UUID jobId, List<String> labels, JobMetrics metrics,
        String artifactKey, Instant createdAt, boolean deployed) {
}
