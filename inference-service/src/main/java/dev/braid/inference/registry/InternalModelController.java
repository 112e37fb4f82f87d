package dev.braid.inference.registry;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.braid.common.blob.BlobStore;
import dev.braid.common.problem.ApiException;
import dev.braid.common.report.JobMetrics;
import dev.braid.common.security.CallerContext;

/**
 * Where the training service registers the model a job produced. Internal (no gateway route);
 * idempotent per job, so a job retried after a crash still ends with exactly one model version.
 */
@RestController
class InternalModelController {

    private final ModelRegistry registry;
    private final BlobStore blobs;

    InternalModelController(ModelRegistry registry, BlobStore blobs) {
        this.registry = registry;
        this.blobs = blobs;
    }

    record RegisterModelRequest(@NotNull UUID id, @NotNull UUID datasetId, @NotNull UUID jobId,
            @NotEmpty List<@NotBlank String> labels, @NotNull JobMetrics metrics, @NotBlank String artifactKey) {
    }

    @PostMapping("/internal/models")
    @ResponseStatus(HttpStatus.CREATED)
    ModelController.ModelResponse register(@Valid @RequestBody RegisterModelRequest request) {
        String tenant = CallerContext.tenant();
        if (!request.artifactKey().startsWith("models/" + tenant + "/") || !BlobStore.KEY.matcher(request.artifactKey()).matches()
                || !blobs.exists(request.artifactKey())) {
            throw ApiException.unprocessable("artifact-missing", "No artifact of this tenant at " + request.artifactKey());
        }
        ModelVersion registered = registry.register(new ModelVersion(request.id(), tenant, request.datasetId(),
                request.jobId(), request.labels(), request.metrics(), request.artifactKey(), null, false));
        return ModelController.ModelResponse.of(registered);
    }

    record RevokedResponse(UUID datasetId, int modelsRevoked) {
    }

    /** The dataset service's call when a dataset is deleted: its models stop serving and their artifacts go. */
    @PostMapping("/internal/datasets/{datasetId}/revoke")
    RevokedResponse revokeDataset(@PathVariable UUID datasetId) {
        return new RevokedResponse(datasetId, registry.revokeDataset(datasetId));
    }
}
