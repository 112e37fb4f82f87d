package dev.braid.dataset.catalog;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.braid.testing.EmbeddedPostgresExtension;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A privacy service that accepts connections and never answers (a hung JVM, a stuck proxy): creating a dataset,
 * which needs its data key first, must end in a 503 the client can retry, not hold the request and a server thread
 * forever, and must leave no dataset behind.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {ServiceTestClient.SECRET_PROPERTY,
        "braid.platform.service-calls.read-timeout=1s"})
class HungPrivacyServiceTests {

    /** Listens, so connections are made (the kernel completes them from the backlog), and never accepts or answers. */
    static final ServerSocket hung = listen();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void hungPrivacyService(DynamicPropertyRegistry registry) {
        String url = "http://127.0.0.1:" + hung.getLocalPort();
        registry.add("braid.dataset.services.privacy", () -> url);
        registry.add("braid.dataset.services.training", () -> url);
        registry.add("braid.dataset.services.inference", () -> url);
    }

    @AfterAll
    static void close() throws IOException {
        hung.close();
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES) // a backstop that turns a hang into a failure, far above the 1 s bound
    void shouldAnswer503WithRetryAfterAndStoreNothingWhenThePrivacyServiceHangs() {
        String tenant = "hung-" + Long.toHexString(System.nanoTime());

        ServiceTestClient.Response response = new ServiceTestClient(port).postJson("/api/v1/datasets", tenant,
                Map.of("name", "waits", "labels", List.of("a", "b")));

        assertThat(response.status()).as(response.body()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isNotNull();
        assertThat(response.json().path("type").stringValue()).endsWith("/service-unavailable");
        assertThat(jdbc.sql("select count(*) from dataset.dataset where tenant_id = ?").param(tenant).query(Long.class).single())
                .isZero();
    }

    private static ServerSocket listen() {
        try {
            return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
