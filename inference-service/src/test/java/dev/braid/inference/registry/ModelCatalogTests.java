package dev.braid.inference.registry;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.common.report.JobMetrics;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry's reads on Spring Data JPA against real PostgreSQL: typed metrics, paging, revocation and tenants. */
class ModelCatalogTests extends RegisteredModelsTest {

    @Test
    void shouldReadBackTheTypedMetricsAndPageTheTenantsModelsInCreationOrder() throws Exception {
        ServiceTestClient client = new ServiceTestClient(port);
        String tenant = freshTenant();
        UUID dataset = UUID.randomUUID();
        List<String> ids = List.of(register(client, tenant, dataset, artifact), register(client, tenant, dataset, artifact),
                register(client, tenant, UUID.randomUUID(), artifact));
        register(client, freshTenant(), dataset, artifact);

        JsonNode first = client.get("/api/v1/models?page=0&size=2", tenant).json();
        JsonNode second = client.get("/api/v1/models?page=1&size=2", tenant).json();
        JsonNode ofDataset = client.get("/api/v1/models?datasetId=" + dataset, tenant).json();

        assertThat(first.path("total").asLong()).isEqualTo(3);
        assertThat(idsOf(first)).containsExactly(ids.get(0), ids.get(1));
        assertThat(idsOf(second)).containsExactly(ids.get(2));
        assertThat(ofDataset.path("total").asLong()).isEqualTo(2);
        assertThat(idsOf(ofDataset)).containsExactly(ids.get(0), ids.get(1));
        JsonNode model = client.get("/api/v1/models/" + ids.get(0), tenant).json();
        assertThat(JsonMapper.builder().build().treeToValue(model.path("metrics"), JobMetrics.class)).isEqualTo(METRICS);
        assertThat(model.path("deployed").asBoolean()).isFalse();
    }

    @Test
    void shouldRegisterAJobsModelOnceHoweverOftenTrainingRetries() throws Exception {
        ServiceTestClient client = new ServiceTestClient(port);
        String tenant = freshTenant();
        UUID dataset = UUID.randomUUID();
        UUID job = UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID retry = UUID.randomUUID();
        store.put(artifactKey(tenant, first), new byte[] {1});
        store.put(artifactKey(tenant, retry), new byte[] {1});

        JsonNode registered = registerForJob(client, tenant, first, dataset, job).json();
        JsonNode again = registerForJob(client, tenant, retry, dataset, job).json();

        assertThat(again.path("id").stringValue()).isEqualTo(registered.path("id").stringValue()).isEqualTo(first.toString());
        assertThat(client.get("/api/v1/models?datasetId=" + dataset, tenant).json().path("total").asLong()).isEqualTo(1);
    }

    @Test
    void shouldShowNeitherModelNorDeploymentToAnotherTenantsAdmin() throws Exception {
        ServiceTestClient client = new ServiceTestClient(port);
        String owner = freshTenant();
        String attacker = freshTenant();
        UUID dataset = UUID.randomUUID();
        String model = register(client, owner, dataset, artifact);

        assertThat(client.get("/api/v1/models/" + model, attacker).status()).isEqualTo(404);
        assertThat(client.post("/api/v1/models/" + model + "/deploy", attacker, dev.braid.common.security.Role.ADMIN,
                "application/json", new byte[0]).status()).isEqualTo(404);
        assertThat(client.get("/api/v1/models", attacker).json().path("total").asLong()).isZero();

        assertThat(client.post("/api/v1/models/" + model + "/deploy", owner, dev.braid.common.security.Role.ADMIN,
                "application/json", new byte[0]).status()).isEqualTo(200);
        assertThat(client.get("/api/v1/models/" + model, owner).json().path("deployed").asBoolean()).isTrue();
        // the attacker names the owner's dataset: no deployment of theirs serves it
        Map<String, Object> prediction = Map.of("datasetId", dataset, "text", "hello");
        assertThat(client.postJson("/api/v1/predictions", owner, prediction).status()).isEqualTo(200);
        ServiceTestClient.Response refused = client.postJson("/api/v1/predictions", attacker, prediction);
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.json().path("type").stringValue()).endsWith("model-not-found");
    }

    @Test
    void shouldHideRevokedModelsFromListsAndAnswerGoneForThem() throws Exception {
        ServiceTestClient client = new ServiceTestClient(port);
        String tenant = freshTenant();
        UUID dataset = UUID.randomUUID();
        String revoked = register(client, tenant, dataset, artifact);
        String kept = register(client, tenant, UUID.randomUUID(), artifact);

        assertThat(client.postJson("/internal/datasets/" + dataset + "/revoke", tenant, Map.of()).status()).isEqualTo(200);

        JsonNode all = client.get("/api/v1/models", tenant).json();
        assertThat(all.path("total").asLong()).isEqualTo(1);
        assertThat(idsOf(all)).containsExactly(kept);
        assertThat(client.get("/api/v1/models/" + revoked, tenant).status()).isEqualTo(410);
        assertThat(registration(client, tenant, UUID.randomUUID(), dataset, artifactKey(tenant, UUID.randomUUID())).status())
                .isIn(410, 422);
    }

    private ServiceTestClient.Response registerForJob(ServiceTestClient client, String tenant, UUID model, UUID dataset, UUID job) {
        return client.postJson("/internal/models", tenant, Map.of("id", model, "datasetId", dataset, "jobId", job,
                "labels", dev.braid.model.SyntheticData.LABELS, "metrics", METRICS, "artifactKey", artifactKey(tenant, model)));
    }

    private static List<String> idsOf(JsonNode page) {
        return page.path("items").valueStream().map(m -> m.path("id").stringValue()).toList();
    }

    private static String freshTenant() {
        return "t" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }
}
