package dev.braid.inference.registry;

import java.util.List;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private final ModelRepository repository;
    private final LoadedModels loadedModels;
    private final TransactionTemplate transactions;
    private final BlobStore blobs;
    /** (tenant, model id) → version, and (tenant, dataset id) → deployed model id, for the prediction path. */
    private final Cache<String, ModelVersion> versions;
    private final Cache<String, UUID> deployments;

    ModelRegistry(ModelRepository repository, LoadedModels loadedModels, InferenceProperties properties,
            TransactionTemplate transactions, BlobStore blobs) {
        this.repository = repository;
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
        UUID modelId = deployments.get(CallerContext.tenant() + "/" + datasetId, key -> repository
                .deployedModel(CallerContext.tenant(), datasetId).orElseThrow(() -> repository.isRevokedDataset(CallerContext.tenant(),
                        datasetId) ? DatasetDeleted.dataset(datasetId) : ModelNotFound.deployedFor(datasetId)));
        return servingModel(modelId);
    }

    /** Registers the job's model, unless its dataset has been deleted (410). */
    ModelVersion register(ModelVersion model) {
        return transactions.execute(status -> {
            repository.lockDataset(model.datasetId());
            return repository.register(model).orElseThrow(() -> DatasetDeleted.dataset(model.datasetId()));
        });
    }

    public ModelVersion get(UUID id) {
        return repository.find(CallerContext.tenant(), id).orElseThrow(() -> repository.isRevokedModel(CallerContext.tenant(), id)
                ? DatasetDeleted.model(id) : ModelNotFound.forId(id));
    }

    /**
     * Revokes the deleted dataset's models: undeployed and marked in one transaction (so no model
     * of it registers afterwards), then unloaded here, their cached routes dropped and their
     * artifacts deleted. Idempotent; returns how many models this call revoked.
     */
    int revokeDataset(UUID datasetId) {
        String tenant = CallerContext.tenant();
        List<ModelRepository.Revoked> revoked = transactions.execute(status -> {
            repository.lockDataset(datasetId);
            return repository.revokeDataset(tenant, datasetId);
        });
        deployments.invalidate(tenant + "/" + datasetId);
        for (ModelRepository.Revoked model : revoked) {
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
        for (UUID id : repository.revokedAmong(loadedModels.loadedIds())) {
            forget(id);
        }
    }

    private void forget(UUID modelId) {
        versions.asMap().keySet().removeIf(key -> key.endsWith("/" + modelId));
        deployments.asMap().values().removeIf(modelId::equals);
        loadedModels.unload(modelId);
    }

    List<ModelVersion> list(UUID datasetId, int page, int size) {
        return repository.list(CallerContext.tenant(), datasetId, page, size);
    }

    /** The ids of every model of the caller's tenant. */
    public java.util.Set<UUID> modelIds() {
        return repository.ids(CallerContext.tenant());
    }

    long count(UUID datasetId) {
        return repository.count(CallerContext.tenant(), datasetId);
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
        repository.deploy(model);
        deployments.put(CallerContext.tenant() + "/" + model.datasetId(), model.id());
        return get(id);
    }
}
