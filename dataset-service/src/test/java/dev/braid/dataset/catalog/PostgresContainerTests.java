package dev.braid.dataset.catalog;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

import dev.braid.common.security.Role;
import dev.braid.testing.FakePrivacyService;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dataset service on the {@code postgres:17} image, as compose and most deployments run it, wired by
 * {@code @ServiceConnection}: Flyway's schema, the JPA catalogue and the JDBC record batches on it. Where there is
 * no Docker engine JUnit reports it skipped ("disabledWithoutDocker is true and Docker is not available"); the other
 * tests run the same code on embedded PostgreSQL 17.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = ServiceTestClient.SECRET_PROPERTY)
class PostgresContainerTests {

    @Container
    @ServiceConnection
    static final PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17");

    static final FakePrivacyService privacy = FakePrivacyService.shared();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("braid.dataset.services.privacy", privacy::url);
        registry.add("braid.dataset.services.training", privacy::url);
        registry.add("braid.dataset.services.inference", privacy::url);
    }

    @Test
    void shouldKeepTheCatalogueAndItsRecordsOnTheImagesPostgres() {
        ServiceTestClient client = new ServiceTestClient(port);
        String id = client.postJson("/api/v1/datasets", "acme", Map.of("name", "on-the-image", "labels", List.of("a", "b")))
                .json().path("id").stringValue();
        byte[] records = """
                {"id":"1","text":"first","label":"a"}
                {"id":"2","text":"second","label":"b"}
                """.getBytes(StandardCharsets.UTF_8);
        ServiceTestClient.Response upload = client.post("/api/v1/datasets/" + id + "/records", "acme", Role.MEMBER,
                "application/x-ndjson", records);

        assertThat(upload.status()).as(upload.body()).isEqualTo(200);
        assertThat(jdbc.sql("show server_version").query(String.class).single()).startsWith("17.");
        assertThat(jdbc.sql("select count(*) from dataset.record where dataset_id = ?::uuid").param(id).query(Long.class).single())
                .isEqualTo(2);
        assertThat(client.get("/api/v1/datasets/" + id, "acme").json().path("recordCount").asLong()).isEqualTo(2);
        assertThat(client.get("/api/v1/datasets/" + id, "globex").status()).isEqualTo(404);
    }
}
