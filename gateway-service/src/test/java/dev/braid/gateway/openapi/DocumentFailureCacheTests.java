package dev.braid.gateway.openapi;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

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
import dev.braid.testing.StubHttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public document while a service is down, asked for without a key, again and again: the gateway answers its 503
 * from what it learnt the first time, for {@code failure-ttl}, instead of fetching every service's document for each
 * request.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {ServiceTestClient.SECRET_PROPERTY,
        "braid.gateway.admin-key=", "braid.gateway.openapi.failure-ttl=1h"})
class DocumentFailureCacheTests {

    static final AtomicInteger asked = new AtomicInteger();
    /** Every service, down: its document answers 503. */
    static final StubHttpServer down = StubHttpServer.start()
            .on("/v3/api-docs", exchange -> {
                asked.incrementAndGet();
                StubHttpServer.respond(exchange, 503, "application/json", "{}");
            })
            .on("/", exchange -> StubHttpServer.respond(exchange, 503, "application/json", "{}"));

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        String url = down.url();
        for (String service : new String[] {"dataset", "training", "inference", "privacy"}) {
            registry.add("braid.gateway.services." + service, () -> url);
        }
        registry.add("braid.platform.home", () -> GatewayTestHome.path().toString());
    }

    @AfterAll
    static void stop() {
        down.close();
    }

    @Test
    void shouldAnswerADocumentItCouldNotBuildFromWhatItLearntForTheFailuresTime() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v3/api-docs"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
        }
        assertThat(asked.get()).as("one round of fetches for twenty requests (four services, one stand-in)").isBetween(1, 4);
    }
}
