package dev.braid.inference.registry;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

import dev.braid.common.security.Role;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry on the {@code postgres:17} image, wired by {@code @ServiceConnection} (it wins over the embedded
 * server the base class points the properties at): register, deploy and predict. Skipped where there is no Docker
 * engine ("disabledWithoutDocker is true and Docker is not available").
 */
@Testcontainers(disabledWithoutDocker = true)
class PostgresContainerTests extends RegisteredModelsTest {

    @Container
    @ServiceConnection
    static final PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17");

    @Autowired
    JdbcClient jdbc;

    @Test
    void shouldRegisterDeployAndServeAModelOnTheImagesPostgres() throws Exception {
        ServiceTestClient client = new ServiceTestClient(port);
        UUID dataset = UUID.randomUUID();
        String model = register(client, "acme", dataset, artifact);

        assertThat(client.post("/api/v1/models/" + model + "/deploy", "acme", Role.ADMIN, "application/json", new byte[0]).status())
                .isEqualTo(200);
        ServiceTestClient.Response prediction = client.postJson("/api/v1/predictions", "acme", Map.of("datasetId", dataset, "text", "red"));

        assertThat(prediction.status()).as(prediction.body()).isEqualTo(200);
        assertThat(prediction.json().path("modelId").stringValue()).isEqualTo(model);
        assertThat(jdbc.sql("show server_version").query(String.class).single()).startsWith("17.");
    }
}
