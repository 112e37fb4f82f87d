package dev.braid.gateway.upstream;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.braid.gateway.GatewayTestHome;
import dev.braid.testing.EmbeddedPostgresExtension;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service given as several URLs: the gateway balances its requests among the instances, leaves out one whose
 * health check fails (within the check interval, 2 s) and takes it back once it answers again.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {ServiceTestClient.SECRET_PROPERTY,
        "braid.gateway.admin-key=", "braid.gateway.services.dataset=http://127.0.0.1:9",
        "braid.gateway.services.training=http://127.0.0.1:9", "braid.gateway.services.privacy=http://127.0.0.1:9"})
class LoadBalancingTests {

    static final Instance first = new Instance("first");
    static final Instance second = new Instance("second");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void inferenceInstances(DynamicPropertyRegistry registry) {
        registry.add("braid.gateway.services.inference", () -> first.url() + ", " + second.url());
        registry.add("braid.platform.home", () -> GatewayTestHome.path().toString());
    }

    @AfterAll
    static void stop() {
        first.server.stop(0);
        second.server.stop(0);
    }

    @Test
    void shouldSpreadRequestsOverHealthyInstancesAndLeaveOutOneWhoseHealthFails() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(answeredBy(10)).contains("first", "second"));

        second.healthy.set(false);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(answeredBy(10)).containsOnly("first"));

        second.healthy.set(true);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(answeredBy(10)).contains("first", "second"));
    }

    /** Which instance answered each of {@code n} requests through the gateway. */
    private List<String> answeredBy(int n) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/models"))
                    .header("Authorization", "Bearer " + GatewayTestHome.operatorKey()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            names.add(response.body());
        }
        return names;
    }

    /** An inference instance as far as the test needs one: its name on every API call, and a health it can lose. */
    static final class Instance {

        final AtomicBoolean healthy = new AtomicBoolean(true);
        final HttpServer server;

        Instance(String name) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            server.createContext("/actuator/health", exchange -> {
                exchange.getRequestBody().readAllBytes();
                respond(exchange, healthy.get() ? 200 : 503, healthy.get() ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
            });
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                respond(exchange, 200, name);
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
