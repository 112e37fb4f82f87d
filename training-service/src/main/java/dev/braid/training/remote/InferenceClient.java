package dev.braid.training.remote;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;

import dev.braid.common.internalapi.ModelRegistryApi;
import dev.braid.common.problem.ServiceUnavailable;
import dev.braid.common.report.JobMetrics;

/** The inference service's model registry, called as the job's tenant. */
@Component
public class InferenceClient {

    private final ModelRegistryApi registry;

    InferenceClient(ModelRegistryApi registry) {
        this.registry = registry;
    }

    /**
     * Registers the job's model (idempotent per job) and returns the registered model's id; {@link DatasetDeleted}
     * when its dataset was deleted meanwhile (the registry answers 410 for it).
     */
    public UUID registerModel(UUID modelId, UUID datasetId, UUID jobId, List<String> labels, JobMetrics metrics,
            String artifactKey) {
        try {
            return ServiceUnavailable.whenUnreachable("inference service", () -> registry.register(
                    new ModelRegistryApi.ModelRegistration(modelId, datasetId, jobId, labels, metrics, artifactKey))).id();
        }
        catch (HttpClientErrorException.Gone ex) {
            throw DatasetDeleted.whileTraining(datasetId);
        }
    }
}
