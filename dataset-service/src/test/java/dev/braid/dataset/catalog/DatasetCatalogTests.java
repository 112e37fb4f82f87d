package dev.braid.dataset.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.domain.PageRequest;
import tools.jackson.databind.JsonNode;

import dev.braid.common.security.Caller;
import dev.braid.common.security.CallerContext;
import dev.braid.common.security.Role;
import dev.braid.dataset.DatasetServiceTest;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalogue on Spring Data JPA against real PostgreSQL: paging, and a tenant boundary no method crosses. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = ServiceTestClient.SECRET_PROPERTY)
class DatasetCatalogTests extends DatasetServiceTest {

    @Autowired
    DatasetRepository repository;

    @Test
    void shouldPageTheTenantsDatasetsInCreationOrderWithTheirTotal() {
        String tenant = freshTenant();
        List<String> ids = List.of(create(tenant, "first"), create(tenant, "second"), create(tenant, "third"));
        create(freshTenant(), "someone else's");

        JsonNode first = client().get("/api/v1/datasets?page=0&size=2", tenant).json();
        JsonNode second = client().get("/api/v1/datasets?page=1&size=2", tenant).json();

        assertThat(first.path("total").asLong()).isEqualTo(3);
        assertThat(second.path("total").asLong()).isEqualTo(3);
        assertThat(first.path("items").valueStream().map(d -> d.path("id").stringValue()).toList()).containsExactly(ids.get(0), ids.get(1));
        assertThat(second.path("items").valueStream().map(d -> d.path("name").stringValue()).toList()).containsExactly("third");
        assertThat(client().get("/api/v1/datasets?page=2&size=2", tenant).json().path("items").isEmpty()).isTrue();
    }

    @Test
    void shouldStoreTheBudgetAndTheCallersTenantFromTheRequestNotFromTheBody() {
        String tenant = freshTenant();
        ServiceTestClient.Response created = client().postJson("/api/v1/datasets", tenant, Map.of("name", "budgeted",
                "labels", List.of("a", "b"), "privacy", Map.of("epsilonBudget", 4.0, "delta", 1e-6), "tenant", "victim"));
        String id = created.json().path("id").stringValue();

        assertThat(jdbc.sql("select tenant_id from dataset.dataset where id = ?::uuid").param(id).query(String.class).single())
                .isEqualTo(tenant);
        JsonNode read = client().get("/api/v1/datasets/" + id, tenant).json();
        assertThat(read.path("privacy").path("epsilonBudget").asDouble()).isEqualTo(4.0);
        assertThat(read.path("privacy").path("delta").asDouble()).isEqualTo(1e-6);
        assertThat(read.path("labels").valueStream().map(JsonNode::stringValue).toList()).containsExactly("a", "b");
    }

    @Test
    void shouldNeitherShowNorDeleteADatasetToAnotherTenantsAdmin() {
        String owner = freshTenant();
        String attacker = freshTenant();
        String id = create(owner, "secret");

        assertThat(client().get("/api/v1/datasets/" + id, attacker).status()).isEqualTo(404);
        assertThat(client().get("/api/v1/datasets", attacker).json().path("total").asLong()).isZero();
        assertThat(client().delete("/api/v1/datasets/" + id, attacker).status()).isEqualTo(404);

        assertThat(client().get("/api/v1/datasets/" + id, owner).status()).isEqualTo(200);
        assertThat(client().delete("/api/v1/datasets/" + id, owner).status()).isEqualTo(204);
        assertThat(client().get("/api/v1/datasets/" + id, owner).status()).isEqualTo(404);
    }

    @Test
    void shouldScopeEveryRepositoryMethodToTheCallersTenant() {
        String owner = freshTenant();
        UUID id = UUID.fromString(create(owner, "scoped"));

        assertThat(as(owner, () -> repository.findById(id))).isPresent();
        assertThat(as(freshTenant(), () -> repository.findById(id))).isEmpty();
        assertThat(as(freshTenant(), () -> repository.existsById(id))).isFalse();
        assertThat(as(freshTenant(), () -> repository.findAll(PageRequest.of(0, 10)).getTotalElements())).isZero();
        assertThat(as(freshTenant(), () -> repository.count())).isZero();
        // no caller bound at all (a scheduler, start-up): nothing is readable
        assertThat(repository.findById(id)).isEmpty();
        assertThat(repository.count()).isZero();
    }

    @Test
    void shouldWriteTheCallersTenantWhateverTheEntityWasBuiltFor() {
        String tenant = freshTenant();
        UUID id = UUID.randomUUID();
        as(tenant, () -> repository.save(new DatasetEntity(id, "direct", List.of("x", "y"), null, Instant.now())));

        assertThat(jdbc.sql("select tenant_id from dataset.dataset where id = ?").param(id).query(String.class).single())
                .isEqualTo(tenant);
        Optional<Dataset> read = as(tenant, () -> repository.findById(id).map(DatasetEntity::toDataset));
        assertThat(read).get().extracting(Dataset::tenant, Dataset::privacy).containsExactly(tenant, null);
    }

    private String create(String tenant, String name) {
        return client().postJson("/api/v1/datasets", tenant, Map.of("name", name, "labels", List.of("x", "y"))).json().path("id")
                .stringValue();
    }

    private static String freshTenant() {
        return "t" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    private static <T> T as(String tenant, java.util.function.Supplier<T> work) {
        Object[] result = new Object[1];
        CallerContext.runAs(new Caller(tenant, Role.ADMIN, "test-key", "test", Instant.now().plusSeconds(60)), () -> result[0] = work.get());
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }
}
