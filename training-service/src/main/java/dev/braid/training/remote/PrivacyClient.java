package dev.braid.training.remote;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import dev.braid.common.crypto.DataKeys;
import dev.braid.common.problem.ApiException;
import dev.braid.common.problem.ServiceUnavailable;
import dev.braid.common.web.ServiceClients;
import dev.braid.training.TrainingProperties;

/** The privacy service: a dataset's budget ledger and, through {@link #keys()}, its data key. Called as the job's tenant. */
@Component
public class PrivacyClient {

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    private final RestClient http;
    private final DataKeys keys;

    PrivacyClient(ServiceClients clients, TrainingProperties properties) {
        this.http = clients.forBaseUrl(properties.services().privacy());
        this.keys = new DataKeys(http);
    }

    public DataKeys keys() {
        return keys;
    }

    /** What a reservation or commit cost, at the budget's δ. */
    public record Charge(double epsilon, double delta) {
    }

    /**
     * Reserves the job's planned ε; 409 (with the ledger's detail: planned and remaining ε) when it
     * does not fit. {@code selectionSigma} adds the noisy choice of α when it will run.
     */
    public Charge reserve(UUID datasetId, UUID jobId, double sampleRate, double noiseMultiplier, long steps, Double selectionSigma) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobId", jobId);
        body.put("sampleRate", sampleRate);
        body.put("noiseMultiplier", noiseMultiplier);
        body.put("steps", steps);
        if (selectionSigma != null) {
            body.put("selectionNoiseMultiplier", selectionSigma);
        }
        JsonNode reserved = call(() -> http.post().uri("/internal/budgets/{id}/reservations", datasetId).body(body)
                .retrieve()
                .onStatus(status -> status.value() == 409, (request, response) -> {
                    throw ApiException.conflict("budget-exceeded", detailOf(response,
                            "The job's planned ε does not fit in the dataset's remaining privacy budget"));
                })
                .onStatus(status -> status.value() == 404, (request, response) -> {
                    throw ApiException.unprocessable("no-privacy-budget", "Dataset " + datasetId
                            + " has no privacy budget to charge: create it with 'privacy' to train it privately");
                })
                .body(JsonNode.class));
        return new Charge(reserved.path("epsilon").asDouble(), delta(datasetId));
    }

    /** Charges the steps the job ran (and the selection, if it ran); idempotent. */
    public Charge commit(UUID datasetId, UUID jobId, long steps, boolean selectionRun) {
        JsonNode entry = call(() -> http.post().uri("/internal/budgets/{id}/reservations/{job}/commit", datasetId, jobId)
                .body(Map.of("steps", steps, "selectionRun", selectionRun))
                .retrieve()
                .body(JsonNode.class));
        return new Charge(entry.path("epsilon").asDouble(), delta(datasetId));
    }

    /** Frees a reservation of a job that never ran a step. */
    public void release(UUID datasetId, UUID jobId) {
        call(() -> http.post().uri("/internal/budgets/{id}/reservations/{job}/release", datasetId, jobId).body(Map.of())
                .retrieve().toBodilessEntity());
    }

    /**
     * The smallest σ that keeps the job's planned spending (its DP-SGD steps and, when it will run,
     * the noisy choice of α) within {@code targetEpsilon} at the budget's δ; 422 when no σ does.
     */
    public double noiseFor(UUID datasetId, double targetEpsilon, double sampleRate, long steps, Double selectionSigma) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("targetEpsilon", targetEpsilon);
        body.put("delta", delta(datasetId));
        body.put("sampleRate", sampleRate);
        body.put("steps", steps);
        body.put("epsilonTolerance", Math.max(1e-6, targetEpsilon * 1e-3));
        if (selectionSigma != null) {
            body.put("alongside", List.of(Map.of("sampleRate", 1.0, "noiseMultiplier", selectionSigma, "steps", 1)));
        }
        JsonNode noise = call(() -> http.post().uri("/api/v1/privacy/accountant/noise-multiplier").body(body).retrieve()
                .onStatus(status -> status.value() == 422, (request, response) -> {
                    throw ApiException.unprocessable("target-epsilon-unreachable", detailOf(response,
                            "No noise multiplier brings the job's ε down to " + targetEpsilon));
                })
                .body(JsonNode.class));
        return noise.path("noiseMultiplier").asDouble();
    }

    /** A reservation still held: whose, on which dataset, for which job. */
    public record OpenReservation(String tenant, UUID datasetId, UUID jobId) {
    }

    /** Reservations of every tenant held longer than the given time (the reconciler's question). */
    public List<OpenReservation> openReservations(java.time.Duration olderThan) {
        return List.of(call(() -> http.get().uri("/internal/reservations/open?olderThanSeconds={s}", olderThan.toSeconds())
                .retrieve().body(OpenReservation[].class)));
    }

    private double delta(UUID datasetId) {
        return call(() -> http.get().uri("/api/v1/privacy/budgets/{id}", datasetId).retrieve().body(JsonNode.class))
                .path("delta").asDouble();
    }

    /** The privacy service's own explanation in its problem response, passed on to the caller. */
    private static String detailOf(org.springframework.http.client.ClientHttpResponse response, String fallback)
            throws java.io.IOException {
        return JSON.readTree(response.getBody()).path("detail").asString(fallback);
    }

    private static <T> T call(java.util.function.Supplier<T> request) {
        return ServiceUnavailable.whenUnreachable("privacy service", request);
    }
}
