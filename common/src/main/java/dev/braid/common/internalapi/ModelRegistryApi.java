package dev.braid.common.internalapi;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.PostExchange;

import dev.braid.common.report.JobMetrics;

/** The inference service's registry: training registers a job's model; the dataset service revokes a deleted dataset's. */
public interface ModelRegistryApi {

    /** Registers the job's model (201), once per job: a retry answers the model already registered; 410 for a deleted dataset. */
    @PostExchange("/internal/models")
    RegisteredModel register(@RequestBody ModelRegistration model);

    /** Revokes the dataset's models: undeployed, unloaded, artifacts deleted; idempotent. */
    @PostExchange("/internal/datasets/{datasetId}/revoke")
    RevokedModels revokeDataset(@PathVariable UUID datasetId);

    /** A trained model as training registers it: where its sealed artifact is ({@link ModelArtifacts#key}) and how it scored. */
    record ModelRegistration(@NotNull UUID id, @NotNull UUID datasetId, @NotNull UUID jobId,
            @NotEmpty List<@NotBlank String> labels, @NotNull JobMetrics metrics, @NotBlank String artifactKey) {
    }

    /** The model registered for the job (this call's, or the one an earlier attempt registered). */
    record RegisteredModel(UUID id, UUID datasetId, UUID jobId) {
    }

    record RevokedModels(UUID datasetId, int modelsRevoked) {
    }
}
