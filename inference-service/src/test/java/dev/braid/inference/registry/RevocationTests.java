package dev.braid.inference.registry;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.braid.inference.serving.LoadedModels;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** A deleted dataset's models stop serving, here at once and on other instances by the sweep, and never come back. */
class RevocationTests extends RegisteredModelsTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    LoadedModels loaded;

    @Test
    void shouldStopServingADeletedDatasetsModelsAtOnceAndDeleteTheirArtifacts() throws Exception {
        ServiceTestClient client = new ServiceTestClient(port);
        UUID dataset = UUID.randomUUID();
        String deployed = register(client, "acme", dataset, artifact);
        String other = register(client, "acme", dataset, artifact);
        client.postJson("/api/v1/models/" + deployed + "/deploy", "acme", "{}");
        assertThat(predict(client, Map.of("datasetId", dataset, "text", "help alpha")).status()).isEqualTo(200);
        assertThat(predict(client, Map.of("modelId", other, "text", "help alpha")).status()).isEqualTo(200);

        assertThat(client.postJson("/internal/datasets/" + dataset + "/revoke", "globex", "{}").json().path("modelsRevoked").asInt())
                .as("another tenant cannot revoke, nor see, acme's models").isZero();
        ServiceTestClient.Response revoked = client.postJson("/internal/datasets/" + dataset + "/revoke", "acme", "{}");
        assertThat(revoked.json().path("modelsRevoked").asInt()).isEqualTo(2);

        for (Map<String, Object> request : java.util.List.<Map<String, Object>>of(Map.of("datasetId", dataset, "text", "help alpha"),
                Map.of("modelId", deployed, "text", "help alpha"), Map.of("modelId", other, "text", "help alpha"))) {
            ServiceTestClient.Response refused = predict(client, request);
            assertThat(refused.status()).as(request.toString()).isEqualTo(410);
            assertThat(refused.json().path("type").stringValue()).endsWith("/dataset-deleted");
        }
        assertThat(client.get("/api/v1/models/" + deployed, "acme").status()).isEqualTo(410);
        assertThat(client.get("/api/v1/models?datasetId=" + dataset, "acme").json().path("total").asLong()).isZero();
        assertThat(loaded.loadedIds()).doesNotContain(UUID.fromString(deployed), UUID.fromString(other));
        assertThat(store.exists(artifactKey("acme", UUID.fromString(deployed)))).isFalse();
        assertThat(client.postJson("/api/v1/models/" + other + "/deploy", "acme", "{}").status()).isEqualTo(410);
        assertThat(client.postJson("/internal/datasets/" + dataset + "/revoke", "acme", "{}").json().path("modelsRevoked").asInt())
                .as("idempotent").isZero();

        // a job that finishes after the delete cannot bring a model of the dataset back
        UUID late = UUID.randomUUID();
        String key = artifactKey("acme", late);
        store.put(key, new byte[] {1, 2, 3});
        ServiceTestClient.Response registered = registration(client, "acme", late, dataset, key);
        assertThat(registered.status()).isEqualTo(410);
        assertThat(jdbc.sql("select count(*) from inference.model where id = ?").param(late).query(Long.class).single()).isZero();
    }

    @Test
    void shouldUnloadAModelRevokedByAnotherInstanceAndStopServingIt() throws Exception {
        ServiceTestClient client = new ServiceTestClient(port);
        UUID dataset = UUID.randomUUID();
        String model = register(client, "acme", dataset, artifact);
        assertThat(predict(client, Map.of("modelId", model, "text", "help alpha")).status()).isEqualTo(200);
        assertThat(loaded.loadedIds()).contains(UUID.fromString(model));

        // what another instance's revocation leaves in the shared database, without telling this one
        jdbc.sql("update inference.model set revoked_at = now() where id = ?").param(UUID.fromString(model)).update();

        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        while (loaded.loadedIds().contains(UUID.fromString(model))) {
            assertThat(System.nanoTime()).as("the revocation sweep unloads it").isLessThan(deadline);
            Thread.sleep(50);
        }
        ServiceTestClient.Response refused = predict(client, Map.of("modelId", model, "text", "help alpha"));
        assertThat(refused.status()).isEqualTo(410);
    }

    private static ServiceTestClient.Response predict(ServiceTestClient client, Map<String, Object> request) {
        return client.postJson("/api/v1/predictions", "acme", request);
    }
}
