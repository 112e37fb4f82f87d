package dev.braid.gateway.apikey;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.gateway.GatewayTestHome;
import dev.braid.testing.EmbeddedPostgresExtension;
import dev.braid.testing.ServiceTestClient;
import dev.braid.testing.StubHttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Job event streams through the gateway, against a training service stand-in that streams as the real one does: a
 * stream that keeps talking (events and heartbeat comments) outlives the gateway's response timeout, each key holds a
 * bounded number open, and a revoked key's open streams end, whichever replica revoked it. Timings made short: a
 * response timeout of 1 s, heartbeats every 200 ms, revocations seen by the sweep within 1 s.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {ServiceTestClient.SECRET_PROPERTY,
        "braid.gateway.admin-key=", "braid.gateway.services.dataset=http://127.0.0.1:9",
        "braid.gateway.services.inference=http://127.0.0.1:9", "braid.gateway.services.privacy=http://127.0.0.1:9",
        "spring.cloud.gateway.server.webflux.httpclient.response-timeout=1s", "braid.gateway.max-streams-per-key=2",
        "braid.gateway.key-cache-ttl=1s"})
class EventStreamGatewayTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final StubHttpServer training = StubHttpServer.start()
            .on("/actuator/health", exchange -> StubHttpServer.respond(exchange, 200, "application/json", "{\"status\":\"UP\"}"))
            .on("/api/v1/training-jobs/", EventStreamGatewayTests::stream);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    OpenEventStreams streams;

    @DynamicPropertySource
    static void trainingStandIn(DynamicPropertyRegistry registry) {
        registry.add("braid.gateway.services.training", training::url);
        registry.add("braid.platform.home", () -> GatewayTestHome.path().toString());
    }

    @AfterAll
    static void stop() {
        training.close();
    }

    @Test
    void shouldKeepAStreamThatKeepsTalkingOpenPastTheResponseTimeout() throws Exception {
        String key = memberKey();
        // 4 s of heartbeats every 200 ms, four times the gateway's response timeout, then the job's last event
        HttpURLConnection stream = open(UUID.randomUUID(), key, "talk-4000");
        List<String> lines = readToEnd(stream);
        assertThat(lines).as("every heartbeat passed through").filteredOn(":heartbeat"::equals).hasSizeGreaterThan(10);
        assertThat(lines).as("and the stream ran to its end").contains("event:succeeded");
    }

    @Test
    void shouldGiveUpOnAStreamWhoseFirstByteComesAfterTheResponseTimeout() throws Exception {
        // why the training service answers a stream at once, with a comment when there is no event yet: the gateway's
        // response timeout is the time to the response, and a stream silent from its start would end in a 504
        HttpURLConnection late = open(UUID.randomUUID(), memberKey(), "late-3000");
        assertThat(late.getResponseCode()).isEqualTo(504);
        // once answered, silence is no longer timed: a stream quiet for four times the timeout runs to its end
        List<String> quiet = readToEnd(open(UUID.randomUUID(), memberKey(), "quiet-4000"));
        assertThat(quiet).contains("event:started", "event:succeeded").doesNotContain(":heartbeat");
    }

    @Test
    void shouldBoundTheStreamsOneKeyHoldsOpen() throws Exception {
        String key = memberKey();
        HttpURLConnection first = open(UUID.randomUUID(), key, "talk-60000");
        HttpURLConnection second = open(UUID.randomUUID(), key, "talk-60000");
        assertThat(first.getResponseCode()).isEqualTo(200);
        assertThat(second.getResponseCode()).isEqualTo(200);
        HttpURLConnection third = open(UUID.randomUUID(), key, "talk-60000");
        assertThat(third.getResponseCode()).isEqualTo(429);
        assertThat(third.getHeaderField("Retry-After")).isNotNull();
        HttpURLConnection head = open(UUID.randomUUID(), key, "talk-60000");
        head.setRequestMethod("HEAD");
        assertThat(head.getResponseCode()).as("a HEAD is served by the stream's handler: counted too").isEqualTo(429);
        HttpURLConnection spelled = request("GET", "/api/v1/training-jobs/" + UUID.randomUUID() + "/%65vents", key);
        assertThat(spelled.getResponseCode()).as("another spelling of the path does not pass uncounted").isEqualTo(400);
        assertThat(open(UUID.randomUUID(), memberKey(), "talk-100").getResponseCode()).as("another key's").isEqualTo(200);
        first.disconnect();
        second.disconnect();
        awaitNoneOpenBy(key);
        HttpURLConnection again = open(UUID.randomUUID(), key, "talk-100");
        assertThat(again.getResponseCode()).as("closed streams give their place back").isEqualTo(200);
        readToEnd(again);
    }

    @Test
    void shouldEndTheOpenStreamsOfAKeyRevokedHere() throws Exception {
        String key = memberKey();
        HttpURLConnection stream = open(UUID.randomUUID(), key, "talk-60000");
        BufferedReader reader = reader(stream);
        assertThat(reader.readLine()).isNotNull();
        UUID keyId = keyId(key);
        HttpURLConnection revoke = request("DELETE", "/api/v1/admin/api-keys/" + keyId, GatewayTestHome.operatorKey());
        assertThat(revoke.getResponseCode()).isEqualTo(204);
        long start = System.nanoTime();
        drain(reader);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("ended long before the job's 60 s").isLessThan(Duration.ofSeconds(30));
        assertThat(streams.openBy(keyId)).isZero();
    }

    @Test
    void shouldEndTheOpenStreamsOfAKeyAnotherReplicaRevoked() throws Exception {
        String key = memberKey();
        HttpURLConnection stream = open(UUID.randomUUID(), key, "talk-60000");
        BufferedReader reader = reader(stream);
        assertThat(reader.readLine()).isNotNull();
        // as another gateway replica revokes it: in the database, without this replica hearing of it
        jdbc.sql("update gateway.api_key set revoked_at = now() where id = ?").param(keyId(key)).update();
        long start = System.nanoTime();
        drain(reader);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("ended by the sweep, not the job").isLessThan(Duration.ofSeconds(30));
    }

    private String memberKey() throws IOException {
        HttpURLConnection created = request("POST", "/api/v1/admin/api-keys", GatewayTestHome.operatorKey());
        created.setDoOutput(true);
        created.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = created.getOutputStream()) {
            out.write("{\"tenant\":\"acme\",\"role\":\"member\"}".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(created.getResponseCode()).isEqualTo(201);
        return JSON.readTree(created.getInputStream()).path("key").stringValue();
    }

    private UUID keyId(String key) {
        return jdbc.sql("select id from gateway.api_key where key_hash = ?").param(ApiKeys.hash(key)).query(UUID.class).single();
    }

    private HttpURLConnection open(UUID job, String key, String behaviour) throws IOException {
        HttpURLConnection connection = request("GET", "/api/v1/training-jobs/" + job + "/events", key);
        connection.setRequestProperty("X-Stand-In", behaviour);
        return connection;
    }

    private HttpURLConnection request(String method, String path, String key) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setRequestProperty("Authorization", "Bearer " + key);
        connection.setReadTimeout(120_000);
        return connection;
    }

    private void awaitNoneOpenBy(String key) throws InterruptedException {
        UUID id = keyId(key);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (streams.openBy(id) > 0) {
            assertThat(System.nanoTime()).as("the gateway let go of the dropped streams").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static BufferedReader reader(HttpURLConnection connection) throws IOException {
        assertThat(connection.getResponseCode()).isEqualTo(200);
        return new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8));
    }

    private static List<String> readToEnd(HttpURLConnection connection) throws IOException {
        List<String> lines = new ArrayList<>();
        BufferedReader reader = reader(connection);
        for (String line; (line = reader.readLine()) != null;) {
            lines.add(line);
        }
        return lines;
    }

    /** Reads until the stream ends, however it ends. */
    private static void drain(BufferedReader reader) {
        try {
            while (reader.readLine() != null) {
                // the stream goes on until the gateway ends it
            }
        }
        catch (IOException ended) {
            // a connection closed mid-chunk ends the stream as surely as a last chunk
        }
    }

    /**
     * The training service as far as streams go: {@code X-Stand-In: talk-N} sends a started event, then a heartbeat
     * comment every 200 ms for N ms, then a succeeded event, and ends the stream; {@code quiet-N} the same without
     * the heartbeats; {@code late-N} answers only after N ms.
     */
    private static void stream(HttpExchange exchange) throws IOException {
        String behaviour = exchange.getRequestHeaders().getFirst("X-Stand-In");
        boolean quiet = !behaviour.startsWith("talk-");
        long millis = Long.parseLong(behaviour.substring(behaviour.indexOf('-') + 1));
        if (behaviour.startsWith("late-")) {
            sleep(millis);
            millis = 0;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            write(out, "id:1\nevent:started\ndata:{}\n\n");
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (System.nanoTime() < end) {
                sleep(200);
                if (!quiet) {
                    write(out, ":heartbeat\n\n");
                }
            }
            write(out, "id:2\nevent:succeeded\ndata:{}\n\n");
        }
        catch (IOException gone) {
            // the gateway closed the stream: what the test wanted
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
