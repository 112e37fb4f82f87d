package dev.braid.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed {@code api/openapi.json} (which the clients are generated from, and which the
 * end-to-end test holds equal to what the gateway serves) against the public contract of
 * {@code shared/API.md}: every operation, status and field it names, by the names it uses.
 */
class PublicContractTests {

    static JsonNode document;

    @BeforeAll
    static void read() throws IOException {
        document = JsonMapper.builder().build().readTree(Files.readString(Path.of("..", "api", "openapi.json")));
    }

    private static JsonNode operation(String method, String path) {
        JsonNode operation = document.path("paths").path(path).path(method);
        assertThat(operation.isObject()).as(method + " " + path + " is documented").isTrue();
        return operation;
    }

    private static JsonNode schema(String name) {
        JsonNode schema = document.path("components").path("schemas").path(name);
        assertThat(schema.isObject()).as("schema " + name).isTrue();
        return schema;
    }

    private static String refName(JsonNode node) {
        String ref = node.path("$ref").asString();
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    @Test
    void shouldDocumentEveryOperationOfTheContractUnderItsNameWithItsSuccessStatus() {
        Map<String, String> operations = Map.ofEntries(
                Map.entry("post /api/v1/datasets 201", "createDataset"),
                Map.entry("get /api/v1/datasets 200", "listDatasets"),
                Map.entry("get /api/v1/datasets/{id} 200", "getDataset"),
                Map.entry("delete /api/v1/datasets/{id} 204", "deleteDataset"),
                Map.entry("post /api/v1/datasets/{id}/records 200", "uploadRecords"),
                Map.entry("post /api/v1/training-jobs 202", "submitTrainingJob"),
                Map.entry("get /api/v1/training-jobs/{id} 200", "getTrainingJob"),
                Map.entry("get /api/v1/training-jobs/{id}/events 200", "streamTrainingJobEvents"),
                Map.entry("post /api/v1/training-jobs/{id}/cancel 202", "cancelTrainingJob"),
                Map.entry("get /api/v1/models 200", "listModels"),
                Map.entry("get /api/v1/models/{id} 200", "getModel"),
                Map.entry("post /api/v1/models/{id}/deploy 200", "deployModel"),
                Map.entry("post /api/v1/predictions 200", "predict"),
                Map.entry("post /api/v1/predictions/batch 200", "predictBatch"),
                Map.entry("post /api/v1/privacy/accountant 200", "computeEpsilon"),
                Map.entry("post /api/v1/privacy/accountant/noise-multiplier 200", "findNoiseMultiplier"),
                Map.entry("get /api/v1/privacy/budgets/{datasetId} 200", "getPrivacyBudget"),
                Map.entry("post /api/v1/privacy/keys/rotate 202", "rotateKeys"),
                Map.entry("post /api/v1/admin/api-keys 201", "createApiKey"),
                Map.entry("get /api/v1/admin/api-keys 200", "listApiKeys"),
                Map.entry("delete /api/v1/admin/api-keys/{id} 204", "revokeApiKey"));
        operations.forEach((key, id) -> {
            String[] parts = key.split(" ");
            JsonNode operation = operation(parts[0], parts[1]);
            assertThat(operation.path("operationId").asString()).as(key).isEqualTo(id);
            assertThat(operation.path("responses").has(parts[2])).as(key + " answers " + parts[2]).isTrue();
        });
        assertThat(operation("post", "/api/v1/training-jobs").path("responses").propertyNames()).as("budget and DP rules")
                .contains("409", "422");
        assertThat(operation("get", "/api/v1/training-jobs/{id}/events").path("responses").path("200").path("content")
                .has("text/event-stream")).isTrue();
    }

    @Test
    void shouldDocumentTheUploadWithItsThreeMediaTypes() {
        JsonNode content = operation("post", "/api/v1/datasets/{id}/records").path("requestBody").path("content");
        assertThat(content.propertyNames()).containsExactlyInAnyOrder("application/x-ndjson", "application/zip", "multipart/form-data");
        assertThat(content.path("multipart/form-data").path("schema").path("properties").has("manifest")).isTrue();
        assertThat(schema("RecordLine").path("properties").propertyNames()).contains("id", "text", "image", "imageBase64", "label");
    }

    @Test
    void shouldKeepEveryFieldTheContractNames() {
        Map<String, List<String>> fields = Map.ofEntries(
                Map.entry("CreateDatasetRequest", List.of("name", "labels", "privacy")),
                Map.entry("DatasetPrivacy", List.of("epsilonBudget", "delta")),
                Map.entry("Dataset", List.of("id", "name", "labels", "recordCount", "privacy", "createdAt", "splits")),
                Map.entry("DatasetPage", List.of("items", "page", "size", "total")),
                Map.entry("IngestReport", List.of("accepted", "duplicates", "rejected")),
                Map.entry("RejectedRecord", List.of("line", "id", "reason")),
                Map.entry("SubmitTrainingJobRequest", List.of("datasetId", "epochs", "batchSize", "learningRate", "seed", "privacy")),
                Map.entry("JobPrivacyRequest", List.of("noiseMultiplier", "maxGradNorm", "targetEpsilon")),
                Map.entry("TrainingJob", List.of("id", "datasetId", "status", "progress", "metrics", "privacy", "modelId", "error",
                        "createdAt", "startedAt", "finishedAt", "attempt")),
                Map.entry("JobProgress", List.of("epoch", "epochs", "step", "steps")),
                Map.entry("JobMetrics", List.of("text", "image", "fused", "alpha")),
                Map.entry("BranchMetrics", List.of("accuracy", "macroF1")),
                Map.entry("PrivacyReport", List.of("epsilon", "delta")),
                Map.entry("Model", List.of("id", "datasetId", "jobId", "labels", "metrics", "createdAt", "deployed")),
                Map.entry("PredictionRequest", List.of("modelId", "datasetId", "text", "imageBase64")),
                Map.entry("Prediction", List.of("modelId", "label", "probabilities", "modalities", "alpha")),
                Map.entry("PredictionModalities", List.of("text", "image")),
                Map.entry("ModalityPrediction", List.of("label", "probabilities")),
                Map.entry("BatchPredictionRequest", List.of("modelId", "datasetId", "inputs")),
                Map.entry("PredictionInput", List.of("text", "imageBase64")),
                Map.entry("BatchPredictionResponse", List.of("results")),
                Map.entry("EpsilonRequest", List.of("mechanisms", "delta", "orders")),
                Map.entry("Mechanism", List.of("sampleRate", "noiseMultiplier", "steps")),
                Map.entry("EpsilonResponse", List.of("epsilon", "order")),
                Map.entry("NoiseMultiplierRequest", List.of("targetEpsilon", "delta", "sampleRate", "steps", "epsilonTolerance")),
                Map.entry("NoiseMultiplierResponse", List.of("noiseMultiplier", "epsilon")),
                Map.entry("PrivacyBudget", List.of("datasetId", "epsilonBudget", "delta", "epsilonSpent", "epsilonReserved", "entries")),
                Map.entry("BudgetEntry", List.of("jobId", "epsilon", "state", "at")),
                Map.entry("Problem", List.of("type", "title", "status", "detail", "instance")));
        fields.forEach((name, names) -> assertThat(schema(name).path("properties").propertyNames()).as(name).containsAll(names));
        assertThat(schema("TrainingJob").path("properties").path("status").path("enum").valueStream().map(JsonNode::asString))
                .containsExactlyInAnyOrder("QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED");
        assertThat(refName(schema("TrainingJob").path("properties").path("metrics"))).as("typed, not a blob").isEqualTo("JobMetrics");
        assertThat(refName(schema("Model").path("properties").path("metrics"))).isEqualTo("JobMetrics");
        assertThat(refName(schema("TrainingJob").path("properties").path("privacy"))).isEqualTo("PrivacyReport");
    }

    @Test
    void shouldDocumentOnlyThePublicApiBehindABearerKeyAtTheGateway() {
        assertThat(document.path("openapi").asString()).startsWith("3.1");
        assertThat(document.path("paths").propertyNames()).allMatch(path -> path.startsWith("/api/v1/"));
        assertThat(document.path("components").path("securitySchemes").path("bearer").path("scheme").asString()).isEqualTo("bearer");
        assertThat(document.path("security").get(0).has("bearer")).isTrue();
        assertThat(document.path("servers").get(0).path("url").asString()).isEqualTo("http://localhost:8080");
    }

    @Test
    void shouldNameTagAndDescribeTheErrorsOfEveryOperation() {
        List<String> ids = new ArrayList<>();
        for (var path : document.path("paths").properties()) {
            for (var entry : path.getValue().properties()) {
                String where = entry.getKey() + " " + path.getKey();
                JsonNode operation = entry.getValue();
                String id = operation.path("operationId").asString();
                assertThat(id).as(where).matches("[a-z][A-Za-z]+").doesNotContain("_");
                ids.add(id);
                assertThat(operation.path("tags")).as(where).hasSize(1);
                JsonNode responses = operation.path("responses");
                for (String status : List.of("400", "401", "429", "503")) {
                    assertThat(refName(responses.path(status).path("content").path("application/problem+json").path("schema")))
                            .as(where + " " + status).isEqualTo("Problem");
                }
                assertThat(responses.path("429").path("headers").has("Retry-After")).as(where).isTrue();
                assertThat(responses.path("503").path("headers").has("Retry-After")).as(where).isTrue();
            }
        }
        assertThat(ids).doesNotHaveDuplicates();
    }
}
