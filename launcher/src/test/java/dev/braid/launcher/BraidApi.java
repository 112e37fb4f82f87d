package dev.braid.launcher;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import tools.jackson.databind.DeserializationFeature;

import dev.braid.client.ApiClient;
import dev.braid.client.ApiClients;
import dev.braid.client.api.AdministrationApi;
import dev.braid.client.api.DatasetsApi;
import dev.braid.client.api.ModelsApi;
import dev.braid.client.api.PredictionsApi;
import dev.braid.client.api.PrivacyApi;
import dev.braid.client.api.TrainingJobsApi;
import dev.braid.client.model.TrainingJob;

/**
 * The generated client (module {@code client}, from {@code api/openapi.json}) for one API key. It
 * refuses fields the document does not declare, so a response that outgrows the committed
 * document fails the test that reads it instead of passing unseen.
 */
record BraidApi(DatasetsApi datasets, TrainingJobsApi jobs, ModelsApi models, PredictionsApi predictions, PrivacyApi privacy,
        AdministrationApi admin) {

    static BraidApi of(String gatewayUrl, String key) {
        ApiClient client = ApiClients.of(gatewayUrl, key, ApiClient.createDefaultMapper(null).rebuild()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build());
        return new BraidApi(new DatasetsApi(client), new TrainingJobsApi(client), new ModelsApi(client), new PredictionsApi(client),
                new PrivacyApi(client), new AdministrationApi(client));
    }

    /** Polls the job until it ends; the job's own state is the clock, the timeout only a backstop for a hung platform. */
    TrainingJob awaitJob(UUID id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        TrainingJob job = jobs.getTrainingJob(id);
        while (!Set.of(TrainingJob.StatusEnum.SUCCEEDED, TrainingJob.StatusEnum.FAILED, TrainingJob.StatusEnum.CANCELLED)
                .contains(job.getStatus()) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            job = jobs.getTrainingJob(id);
        }
        return job;
    }
}
