package dev.braid.inference.registry;

import java.util.List;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.stereotype.Service;

import dev.braid.common.security.CallerContext;
import dev.braid.inference.InferenceProperties;
import dev.braid.inference.serving.LoadedModels;

/** The registry's facade: model versions of the caller's tenant and the deployment of each dataset. */
@Service
public class ModelRegistry {

    private final ModelRepository repository;
    private final LoadedModels loadedModels;
    /** (tenant, model id) → version, and (tenant, dataset id) → deployed model id, for the prediction path. */
    private final Cache<String, ModelVersion> versions;
    private final Cache<String, UUID> deployments;

    ModelRegistry(ModelRepository repository, LoadedModels loadedModels, InferenceProperties properties) {
        this.repository = repository;
        this.loadedModels = loadedModels;
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
                .deployedModel(CallerContext.tenant(), datasetId).orElseThrow(() -> ModelNotFound.deployedFor(datasetId)));
        return servingModel(modelId);
    }

    ModelVersion register(ModelVersion model) {
        return repository.register(model);
    }

    public ModelVersion get(UUID id) {
        return repository.find(CallerContext.tenant(), id).orElseThrow(() -> ModelNotFound.forId(id));
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
