package dev.braid.dataset.catalog;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import dev.braid.common.security.InternalTokenCodec;
import dev.braid.common.security.Role;
import dev.braid.dataset.DatasetServiceTest;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request that arrives with a W3C trace context carries it on to the services it calls: the privacy service sees
 * the same trace id under a span of this service's, next to the request id that has always travelled.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = ServiceTestClient.SECRET_PROPERTY)
class TracePropagationTests extends DatasetServiceTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    @Test
    void shouldCarryTheCallersTraceAndRequestIdToThePrivacyService() throws Exception {
        String token = new InternalTokenCodec(ServiceTestClient.SECRET, java.time.Duration.ofMinutes(1))
                .issue("acme", Role.MEMBER, "test-key", "trace-request-7");
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/datasets"))
                .header("Content-Type", "application/json")
                .header(InternalTokenCodec.HEADER, token)
                .header("X-Request-Id", "trace-request-7")
                .header("traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"traced\",\"labels\":[\"a\",\"b\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = tools.jackson.databind.json.JsonMapper.builder().build().readTree(created.body()).path("id").stringValue();

        String path = "/internal/keys/data-keys/" + id;
        String traceparent = privacy.lastHeader("POST", path, "traceparent");
        assertThat(traceparent).as("the trace context the privacy service got").isNotNull()
                .startsWith("00-" + TRACE + "-").doesNotContain(CALLER_SPAN);
        assertThat(privacy.lastHeader("POST", path, "X-Request-Id")).isEqualTo("trace-request-7");
    }
}
