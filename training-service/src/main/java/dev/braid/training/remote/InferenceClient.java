package dev.braid.training.remote;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import dev.braid.common.report.JobMetrics;
import dev.braid.common.web.ServiceClients;
import dev.braid.training.TrainingProperties;

/** The inference service's model registry, called as the job's tenant. */
@Component
public class InferenceClient {

    private final RestClient http;

    InferenceClient(ServiceClients clients, TrainingProperties properties) {
        this.http = clients.forBaseUrl(properties.services().inference());
    }

    /** Registers the job's model (idempotent per job) and returns the registered model's id. */
    public UUID registerModel(UUID modelId, UUID datasetId, UUID jobId, List<String> labels, JobMetrics metrics,
            String artifactKey) {
        JsonNode body = http.post().uri("/internal/models")
                .body(Map.of("id", modelId, "datasetId", datasetId, "jobId", jobId, "labels", labels, "metrics", metrics,
                        "artifactKey", artifactKey))
                .retrieve()
                .body(JsonNode.class);
        return UUID.fromString(body.path("id").stringValue());
    }
}
