package dev.braid.gateway.routing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.braid.common.security.InternalTokenCodec;
import dev.braid.gateway.GatewayTestHome;
import dev.braid.testing.EmbeddedPostgresExtension;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway passes a client's W3C trace context on to the service it routes to, as the parent of a span of its
 * own, and keeps the request id beside it: one trace from the browser to the last service.
 */
@ExtendWith({EmbeddedPostgresExtension.class, OutputCaptureExtension.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {ServiceTestClient.SECRET_PROPERTY,
        "braid.gateway.admin-key=", "braid.gateway.services.training=http://127.0.0.1:9",
        "braid.gateway.services.inference=http://127.0.0.1:9", "braid.gateway.services.privacy=http://127.0.0.1:9"})
class TracePropagationTests {

    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String CLIENT_SPAN = "b7ad6b7169203331";

    /** The dataset service, as far as this test needs one: it answers an empty page and keeps the last request's headers. */
    static final AtomicReference<Headers> received = new AtomicReference<>();
    static final HttpServer dataset = stub();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void datasetService(DynamicPropertyRegistry registry) {
        registry.add("braid.gateway.services.dataset", () -> "http://127.0.0.1:" + dataset.getAddress().getPort());
        registry.add("braid.platform.home", () -> GatewayTestHome.path().toString());
    }

    @AfterAll
    static void stop() {
        dataset.stop(0);
    }

    @Test
    void shouldPassTheClientsTraceToTheServiceUnderASpanOfItsOwnWithTheRequestId(CapturedOutput output) throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/datasets"))
                        .header("Authorization", "Bearer " + GatewayTestHome.operatorKey())
                        .header("X-Request-Id", "trace-through-gateway")
                        .header("traceparent", "00-" + TRACE + "-" + CLIENT_SPAN + "-01").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Headers forwarded = received.get();
        assertThat(forwarded.getFirst("traceparent")).as("the trace context the service got").isNotNull()
                .startsWith("00-" + TRACE + "-").doesNotContain(CLIENT_SPAN);
        assertThat(forwarded.getFirst("X-Request-Id")).isEqualTo("trace-through-gateway");
        assertThat(forwarded.getFirst(InternalTokenCodec.HEADER)).as("and the caller, signed").isNotBlank();
        assertThat(forwarded.getFirst("Authorization")).as("never the key").isNull();
        // the gateway's access line names the trace, so it joins the services' lines; it is written once the exchange
        // has completed, which can be a moment after the client has its answer
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(output.getOut())
                .contains("GET /api/v1/datasets 200").contains("requestId=trace-through-gateway traceId=" + TRACE));
    }

    private static HttpServer stub() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                received.set(exchange.getRequestHeaders());
                exchange.getRequestBody().readAllBytes();
                byte[] body = "{\"items\":[],\"page\":0,\"size\":50,\"total\":0}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
