package dev.braid.inference.registry;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

import dev.braid.common.security.CallerContext;
import dev.braid.inference.serving.LoadedModels;

/** The registry's facade: model versions of the caller's tenant and the deployment of each dataset. */
@Service
public class ModelRegistry {

    private final ModelRepository repository;
    private final LoadedModels loadedModels;

    ModelRegistry(ModelRepository repository, LoadedModels loadedModels) {
        this.repository = repository;
        this.loadedModels = loadedModels;
    }

    ModelVersion register(ModelVersion model) {
        return repository.register(model);
    }

    public ModelVersion get(UUID id) {
        return repository.find(CallerContext.tenant(), id).orElseThrow(() -> ModelNotFound.forId(id));
    }

    /** The model serving the dataset's predictions. */
    public ModelVersion deployedFor(UUID datasetId) {
        UUID modelId = repository.deployedModel(CallerContext.tenant(), datasetId)
                .orElseThrow(() -> ModelNotFound.deployedFor(datasetId));
        return get(modelId);
    }

    List<ModelVersion> list(UUID datasetId, int page, int size) {
        return repository.list(CallerContext.tenant(), datasetId, page, size);
    }

    long count(UUID datasetId) {
        return repository.count(CallerContext.tenant(), datasetId);
    }

    /**
     * Makes the model its dataset's serving model: loaded (and so proven loadable) first, then
     * switched in one statement, so a model that fails to load leaves the old one serving.
     * Deploying an older version is the rollback.
     */
    ModelVersion deploy(UUID id) {
        ModelVersion model = get(id);
        loadedModels.get(model.id(), model.datasetId(), model.artifactKey());
        repository.deploy(model);
        return get(id);
    }
}
