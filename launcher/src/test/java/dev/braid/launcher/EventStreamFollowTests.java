package dev.braid.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job followed the way a browser's EventSource follows it, through the gateway with a stream token, for longer
 * than a stream or a token lasts (both made short here: streams end every 4 s, tokens after 6 s): it reconnects
 * after the last event id it saw, asks for a new token when the old one is refused, and in the end has seen every
 * event exactly once. And the stream ends when its key is revoked; a key holds a bounded number open.
 */
class EventStreamFollowTests extends PlatformTest {

    private static final Set<String> FINAL = Set.of("succeeded", "failed", "cancelled");

    /** One event as the follower saw it. */
    record Event(long id, String type) {
    }

    @Test
    void shouldFollowAJobAcrossStreamEndsAndTokenRenewalsSeeingEveryEventOnce() throws Exception {
        String datasetId = datasetWithRecords("follow", 240);
        Http.Response submitted = gateway.postJson("/api/v1/training-jobs", acmeKey,
                Map.of("datasetId", datasetId, "epochs", 12, "batchSize", 8, "learningRate", 0.01, "seed", 5));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String jobId = submitted.json().path("id").stringValue();

        List<Event> seen = new ArrayList<>();
        int streams = 0;
        int renewals = 0;
        Http.Response token = token(jobId);
        String url = token.json().path("url").stringValue();
        java.time.Instant firstExpiry = java.time.Instant.parse(token.json().path("expiresAt").stringValue());
        long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
        while (seen.isEmpty() || !FINAL.contains(seen.get(seen.size() - 1).type())) {
            assertThat(System.nanoTime()).as("the job ends while followed; seen " + seen).isLessThan(deadline);
            if (streams == 1 && renewals == 0) {
                // the page comes back after its token expired, whatever the machine's speed: the reconnect is refused
                while (java.time.Instant.now().isBefore(firstExpiry.plusSeconds(1))) {
                    Thread.sleep(100);
                }
            }
            HttpURLConnection stream = get(url + (seen.isEmpty() ? "" : "&after=" + seen.get(seen.size() - 1).id()));
            if (stream.getResponseCode() == 401) {
                url = token(jobId).json().path("url").stringValue(); // a new token, as the README tells a page to
                renewals++;
                continue;
            }
            assertThat(stream.getResponseCode()).isEqualTo(200);
            streams++;
            read(stream, seen);
        }

        assertThat(streams).as("the follow outlived a stream").isGreaterThanOrEqualTo(2);
        assertThat(renewals).as("and its first token").isGreaterThanOrEqualTo(1);
        List<Event> all = new ArrayList<>();
        read(get("/api/v1/training-jobs/" + jobId + "/events", acmeKey), all);
        assertThat(seen).as("every event once, in order, across every reconnect").isEqualTo(all);
        assertThat(awaitJob(jobId, Duration.ofMinutes(1)).path("status").stringValue()).isEqualTo("SUCCEEDED");
    }

    @Test
    void shouldBoundTheStreamsOfOneKeyAndEndThemWhenItIsRevoked() throws Exception {
        Http.Response created = gateway.postJson("/api/v1/admin/api-keys", ADMIN_KEY, Map.of("tenant", "acme", "role", "member"));
        String key = created.json().path("key").stringValue();
        String keyId = created.json().path("id").stringValue();
        String running = gateway.postJson("/api/v1/training-jobs", acmeKey, Map.of("datasetId", datasetWithRecords("long-follow", 240),
                "epochs", 30, "batchSize", 8, "learningRate", 0.01)).json().path("id").stringValue();
        List<HttpURLConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                HttpURLConnection stream = get("/api/v1/training-jobs/" + running + "/events", key);
                assertThat(stream.getResponseCode()).isEqualTo(200);
                open.add(stream);
            }
            HttpURLConnection ninth = get("/api/v1/training-jobs/" + running + "/events", key);
            assertThat(ninth.getResponseCode()).as("eight streams per key at most").isEqualTo(429);
            assertThat(ninth.getHeaderField("Retry-After")).isNotNull();
            assertThat(get("/api/v1/training-jobs/" + running + "/events", acmeKey).getResponseCode()).as("another key's")
                    .isEqualTo(200);

            // (that the revocation itself ends them, and not their own 4 s, EventStreamGatewayTests shows with minute-long
            // streams; here: they all end, and the key opens no other)
            assertThat(gateway.delete("/api/v1/admin/api-keys/" + keyId, ADMIN_KEY).status()).isEqualTo(204);
            for (HttpURLConnection stream : open) {
                read(stream, new ArrayList<>());
            }
            assertThat(get("/api/v1/training-jobs/" + running + "/events", key).getResponseCode()).isEqualTo(401);
            assertThat(gateway.get("/api/v1/training-jobs/" + running, acmeKey).json().path("status").stringValue())
                    .as("the job itself goes on").isIn("QUEUED", "RUNNING");
        }
        finally {
            open.forEach(HttpURLConnection::disconnect);
            gateway.postJson("/api/v1/training-jobs/" + running + "/cancel", acmeKey, "{}");
        }
    }

    /** A new stream token for the job (its url and expiresAt), as a page asks for it with its key. */
    private static Http.Response token(String jobId) {
        Http.Response token = gateway.postJson("/api/v1/training-jobs/" + jobId + "/events/token", acmeKey, "{}");
        assertThat(token.status()).as(token.body()).isEqualTo(201);
        return token;
    }

    /** A GET through the gateway, as EventSource sends it (no key) or with a key. */
    private static HttpURLConnection get(String path, String... key) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(platform.gatewayUrl() + path).toURL().openConnection();
        connection.setRequestProperty("Accept", "text/event-stream");
        if (key.length > 0) {
            connection.setRequestProperty("Authorization", "Bearer " + key[0]);
        }
        connection.setReadTimeout(120_000);
        return connection;
    }

    /** Reads a stream to its end, adding its events; returns how many comments it carried. */
    private static int read(HttpURLConnection stream, List<Event> events) throws IOException {
        int comments = 0;
        long id = -1;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null;) {
                if (line.startsWith(":")) {
                    comments++;
                }
                else if (line.startsWith("id:")) {
                    id = Long.parseLong(line.substring(3).strip());
                }
                else if (line.startsWith("event:")) {
                    events.add(new Event(id, line.substring(6).strip()));
                }
            }
        }
        return comments;
    }
}
