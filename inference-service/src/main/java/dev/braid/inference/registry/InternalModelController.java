package dev.braid.inference.registry;

import java.util.UUID;

import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.braid.common.blob.BlobStore;
import dev.braid.common.internalapi.ModelArtifacts;
import dev.braid.common.internalapi.ModelRegistryApi;
import dev.braid.common.problem.ApiException;
import dev.braid.common.security.CallerContext;

/**
 * Where the training service registers the model a job produced. Internal (no gateway route);
 * idempotent per job, so a job retried after a crash still ends with exactly one model version.
 */
@RestController
class InternalModelController implements ModelRegistryApi {

    private final ModelRegistry registry;
    private final BlobStore blobs;

    InternalModelController(ModelRegistry registry, BlobStore blobs) {
        this.registry = registry;
        this.blobs = blobs;
    }

    @Override
    @ResponseStatus(HttpStatus.CREATED)
    public RegisteredModel register(@Valid @RequestBody ModelRegistration request) {
        String tenant = CallerContext.tenant();
        if (!ModelArtifacts.belongsTo(request.artifactKey(), tenant) || !BlobStore.KEY.matcher(request.artifactKey()).matches()
                || !blobs.exists(request.artifactKey())) {
            throw ApiException.unprocessable("artifact-missing", "No artifact of this tenant at " + request.artifactKey());
        }
        ModelVersion registered = registry.register(new ModelVersion(request.id(), tenant, request.datasetId(),
                request.jobId(), request.labels(), request.metrics(), request.artifactKey(), null, false));
        return new RegisteredModel(registered.id(), registered.datasetId(), registered.jobId());
    }

    /** The dataset service's call when a dataset is deleted: its models stop serving and their artifacts go. */
    @Override
    public RevokedModels revokeDataset(@PathVariable UUID datasetId) {
        return new RevokedModels(datasetId, registry.revokeDataset(datasetId));
    }
}
