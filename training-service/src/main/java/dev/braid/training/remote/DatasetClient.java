package dev.braid.training.remote;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Consumer;

import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.common.internalapi.DatasetRecordsApi;
import dev.braid.common.internalapi.DatasetRecordsApi.DatasetSummary;
import dev.braid.common.internalapi.DatasetRecordsApi.ExportedRecord;
import dev.braid.common.problem.ApiException;
import dev.braid.common.problem.ServiceUnavailable;
import dev.braid.common.web.ServiceClients;
import dev.braid.training.TrainingProperties;

/** The dataset service, called as the current caller's tenant. */
@Component
public class DatasetClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RestClient http;
    private final DatasetRecordsApi datasets;

    DatasetClient(ServiceClients clients, TrainingProperties properties, DatasetRecordsApi datasets) {
        this.http = clients.forBaseUrl(properties.services().dataset()); // the record stream, read line by line
        this.datasets = datasets;
    }

    /** The dataset's labels, whether it demands differential privacy, and how many records its train split holds; 404 if none. */
    public DatasetSummary dataset(UUID id) {
        return ServiceUnavailable.whenUnreachable("dataset service", () -> {
            try {
                return datasets.dataset(id);
            }
            catch (HttpClientErrorException.NotFound ex) {
                throw ApiException.notFound("Dataset", id);
            }
        });
    }

    /**
     * Every record of the dataset, read line by line from the internal NDJSON stream and handed to
     * {@code each} as it arrives, so the caller keeps only what it makes of a record, never the
     * whole stream.
     */
    public void records(UUID id, Consumer<ExportedRecord> each) {
        http.get().uri(DatasetRecordsApi.RECORDS, id).exchange((request, response) -> {
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
                        each.accept(JSON.readValue(line, ExportedRecord.class));
                    }
                }
            }
            return null;
        });
    }
}
