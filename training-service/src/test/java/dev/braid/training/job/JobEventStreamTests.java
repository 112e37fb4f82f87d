package dev.braid.training.job;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.braid.testing.EmbeddedPostgresExtension;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event streams as clients really use them: quiet for long stretches, dropped without a word, reopened after an
 * event id, and opened by more clients than one instance should serve. Heartbeats every 200 ms instead of 15 s.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {ServiceTestClient.SECRET_PROPERTY, "braid.training.worker.enabled=false",
                "braid.training.events.poll=50ms", "braid.training.events.heartbeat=200ms", "braid.training.events.max-streams=2"})
class JobEventStreamTests {

    @LocalServerPort
    int port;

    @Autowired
    JobRepository jobs;

    @Autowired
    JobEventStream streams;

    @Test
    void shouldKeepAQuietStreamAliveWithCommentsAndLetGoOfItOnceItsClientHasGone() throws Exception {
        UUID job = queued();
        HttpURLConnection connection = new ServiceTestClient(port).openGet("/api/v1/training-jobs/" + job + "/events", "acme");
        BufferedReader stream = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8));
        assertThat(connection.getContentType()).startsWith("text/event-stream");
        assertThat(readUntil(stream, line -> line.startsWith(":"))).as("a comment while nothing happens").contains(":heartbeat");
        jobs.event(job, "epoch", Map.of("epoch", 1));
        List<String> epoch = readUntil(stream, line -> line.startsWith("data:"));
        assertThat(epoch).anyMatch(line -> line.startsWith("event:epoch")).anyMatch(line -> line.startsWith("id:"));
        assertThat(streams.open()).isEqualTo(1);

        connection.disconnect(); // the client goes away without a word; its next heartbeat fails to write
        awaitEveryStreamLetGo();
    }

    @Test
    void shouldResumeAfterTheEventIdGivenAsAParameterAndRefuseStreamsPastTheLimit() throws Exception {
        UUID job = queued();
        jobs.event(job, "epoch", Map.of("epoch", 1));
        jobs.event(job, "epoch", Map.of("epoch", 2));
        long first = jobs.events(job, 0).get(0).id();
        ServiceTestClient client = new ServiceTestClient(port);
        HttpURLConnection resumed = client.openGet("/api/v1/training-jobs/" + job + "/events?after=" + first, "acme");
        BufferedReader stream = new BufferedReader(new InputStreamReader(resumed.getInputStream(), StandardCharsets.UTF_8));
        assertThat(readUntil(stream, line -> line.startsWith("data:"))).anyMatch(line -> line.matches("data:\\{\"epoch\": ?2}"))
                .noneMatch(line -> line.contains("1}"));

        HttpURLConnection second = client.openGet("/api/v1/training-jobs/" + job + "/events", "acme");
        assertThat(second.getResponseCode()).isEqualTo(200);
        HttpURLConnection third = client.openGet("/api/v1/training-jobs/" + job + "/events", "acme");
        assertThat(third.getResponseCode()).as("two streams at most here").isEqualTo(503);
        assertThat(third.getHeaderField("Retry-After")).isNotNull();
        resumed.disconnect();
        second.disconnect();
        awaitEveryStreamLetGo();
    }

    private void awaitEveryStreamLetGo() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (streams.open() > 0) {
            assertThat(System.nanoTime()).as("the streams of clients that left are let go").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private UUID queued() {
        UUID id = UUID.randomUUID();
        jobs.insert(id, "acme", UUID.randomUUID(), 1, 8, 0.01, 7, 3, null, true, true, null, null);
        return id;
    }

    /** The stream's lines up to and including the first that matches. */
    private static List<String> readUntil(BufferedReader stream, java.util.function.Predicate<String> last) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line; (line = stream.readLine()) != null;) {
            lines.add(line);
            if (last.test(line)) {
                return lines;
            }
        }
        throw new AssertionError("the stream ended after " + lines);
    }
}
