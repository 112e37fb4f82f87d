package dev.braid.inference.registry;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.braid.common.blob.BlobStore;

import dev.braid.common.security.CallerContext;
import dev.braid.inference.InferenceProperties;
import dev.braid.inference.serving.LoadedModels;

/**
 * The registry's facade: model versions of the caller's tenant and the deployment of each dataset.
 * Deleting a dataset revokes its models: on the instance told, at once (caches dropped, models
 * unloaded, artifacts deleted); on every other instance, predictions stop when the route cache
 * entry expires ({@code route-cache}, 1 s) and memory is freed by the next revocation sweep.
 */
@Service
public class ModelRegistry {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private static final Sort CREATION_ORDER = Sort.by("createdAt", "id");

    private final ModelRepository models;
    private final DeploymentRepository deploymentRows;
    private final RevocationStore revocations;
    private final LoadedModels loadedModels;
    private final TransactionTemplate transactions;
    private final BlobStore blobs;
    /** (tenant, model id) → version, and (tenant, dataset id) → deployed model id, for the prediction path. */
    private final Cache<String, ModelVersion> versions;
    private final Cache<String, UUID> deployments;

    ModelRegistry(ModelRepository models, DeploymentRepository deploymentRows, RevocationStore revocations,
            LoadedModels loadedModels, InferenceProperties properties, TransactionTemplate transactions, BlobStore blobs) {
        this.models = models;
        this.deploymentRows = deploymentRows;
        this.revocations = revocations;
        this.loadedModels = loadedModels;
        this.transactions = transactions;
        this.blobs = blobs;
        this.versions = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(properties.routeCache()).build();
        this.deployments = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(properties.routeCache()).build();
    }

    /** The model a prediction names, from a short-lived cache (its lineage never changes). */
    public ModelVersion servingModel(UUID id) {
        return versions.get(CallerContext.tenant() + "/" + id, key -> get(id));
    }

    /** The model serving the dataset's predictions, from a cache this instance's deploys update at once. */
    public ModelVersion servingModelFor(UUID datasetId) {
        UUID modelId = deployments.get(CallerContext.tenant() + "/" + datasetId, key -> deploymentRows.findById(datasetId)
                .map(DeploymentEntity::modelId).orElseThrow(() -> revocations.isRevokedDataset(CallerContext.tenant(), datasetId)
                        ? DatasetDeleted.dataset(datasetId) : ModelNotFound.deployedFor(datasetId)));
        return servingModel(modelId);
    }

    /** Registers the job's model, unless its dataset has been deleted (410). */
    ModelVersion register(ModelVersion model) {
        return transactions.execute(status -> {
            revocations.lockDataset(model.datasetId());
            revocations.register(model);
            return models.findByJobIdAndRevokedAtIsNull(model.jobId()).map(ModelEntity::toVersion)
                    .orElseThrow(() -> DatasetDeleted.dataset(model.datasetId()));
        });
    }

    public ModelVersion get(UUID id) {
        return models.findByIdAndRevokedAtIsNull(id).map(ModelEntity::toVersion)
                .orElseThrow(() -> models.existsByIdAndRevokedAtIsNotNull(id) ? DatasetDeleted.model(id) : ModelNotFound.forId(id));
    }

    /**
     * Revokes the deleted dataset's models: undeployed and marked in one transaction (so no model
     * of it registers afterwards), then unloaded here, their cached routes dropped and their
     * artifacts deleted. Idempotent; returns how many models this call revoked.
     */
    int revokeDataset(UUID datasetId) {
        String tenant = CallerContext.tenant();
        List<RevocationStore.Revoked> revoked = transactions.execute(status -> {
            revocations.lockDataset(datasetId);
            return revocations.revokeDataset(tenant, datasetId);
        });
        deployments.invalidate(tenant + "/" + datasetId);
        for (RevocationStore.Revoked model : revoked) {
            forget(model.id());
            try {
                blobs.delete(model.artifactKey());
            }
            catch (java.io.IOException ex) {
                // sealed under the dataset's data key, which the deletion destroys next: unreadable even if it stays
                log.warn("Could not delete the artifact of revoked model {}: {}", model.id(), ex.toString());
            }
        }
        return revoked.size();
    }

    /**
     * Unloads models that were revoked on another instance; run every few seconds. Until then such
     * a model takes no new predictions here, since its cached route expires within {@code route-cache}.
     */
    @Scheduled(fixedDelayString = "${braid.inference.revocation-sweep:2s}")
    void sweepRevoked() {
        for (UUID id : revocations.revokedAmong(loadedModels.loadedIds())) {
            forget(id);
        }
    }

    private void forget(UUID modelId) {
        versions.asMap().keySet().removeIf(key -> key.endsWith("/" + modelId));
        deployments.asMap().values().removeIf(modelId::equals);
        loadedModels.unload(modelId);
    }

    /** One page of the caller's models that still serve, of one dataset or all, oldest first, with the total. */
    Page<ModelVersion> list(UUID datasetId, int page, int size) {
        PageRequest request = PageRequest.of(page, size, CREATION_ORDER);
        Page<ModelEntity> found = datasetId == null ? models.findByRevokedAtIsNull(request)
                : models.findByDatasetIdAndRevokedAtIsNull(datasetId, request);
        return found.map(ModelEntity::toVersion);
    }

    /** The ids of every model of the caller's tenant. */
    public Set<UUID> modelIds() {
        return models.findLiveIds();
    }

    /**
     * Makes the model its dataset's serving model: loaded and warmed up (and so proven loadable)
     * first, then switched in one statement, so a model that fails to load leaves the old one
     * serving. Requests already queued on the old model finish on it.
     * Deploying an older version is the rollback.
     */
    ModelVersion deploy(UUID id) {
        ModelVersion model = get(id);
        loadedModels.get(model.id(), model.datasetId(), model.artifactKey());
        transactions.executeWithoutResult(status -> {
            // under the dataset's lock a revocation is either done (the model is gone: 410) or waits for this deploy
            revocations.lockDataset(model.datasetId());
            get(id);
            DeploymentEntity deployment = deploymentRows.findById(model.datasetId()).orElseGet(() -> new DeploymentEntity(model.datasetId()));
            deployment.serve(model.id(), Instant.now());
            deploymentRows.save(deployment);
        });
        deployments.put(CallerContext.tenant() + "/" + model.datasetId(), model.id());
        return get(id);
    }
}
