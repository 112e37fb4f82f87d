package dev.braid.training.remote;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.common.problem.ApiException;
import dev.braid.common.web.ServiceClients;
import dev.braid.training.TrainingProperties;

/** The dataset service, called as the current caller's tenant. */
@Component
public class DatasetClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RestClient http;

    DatasetClient(ServiceClients clients, TrainingProperties properties) {
        this.http = clients.forBaseUrl(properties.services().dataset());
    }

    /** The dataset's labels, whether it demands differential privacy, and how many records its train split holds. */
    public record DatasetInfo(UUID id, List<String> labels, boolean requiresPrivacy, long trainRecords) {
    }

    /** One record as the dataset service streams it. */
    public record RemoteRecord(String label, String text, String imageBase64, String split) {
    }

    public DatasetInfo dataset(UUID id) {
        JsonNode body = http.get().uri("/api/v1/datasets/{id}", id)
                .retrieve()
                .onStatus(status -> status.value() == 404, (request, response) -> {
                    throw ApiException.notFound("Dataset", id);
                })
                .body(JsonNode.class);
        List<String> labels = new ArrayList<>();
        body.path("labels").forEach(label -> labels.add(label.stringValue()));
        long train = 0;
        for (JsonNode count : body.path("splits").path("train")) {
            train += count.asLong();
        }
        return new DatasetInfo(id, labels, body.hasNonNull("privacy"), train);
    }

    /**
     * Every record of the dataset, read line by line from the internal NDJSON stream and handed to
     * {@code each} as it arrives, so the caller keeps only what it makes of a record, never the
     * whole stream.
     */
    public void records(UUID id, Consumer<RemoteRecord> each) {
        http.get().uri("/internal/datasets/{id}/records", id).exchange((request, response) -> {
            HttpStatusCode status = response.getStatusCode();
            if (status.value() == 404) {
                throw ApiException.notFound("Dataset", id);
            }
            if (!status.is2xxSuccessful()) {
                throw new IllegalStateException("dataset service answered " + status.value() + " for the records of " + id);
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.getBody(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null;) {
                    if (!line.isBlank()) {
                        each.accept(JSON.readValue(line, RemoteRecord.class));
                    }
                }
            }
            return null;
        });
    }
}
