package dev.braid.launcher;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.braid.model.SyntheticData;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the end-to-end classes share: the one platform of the JVM ({@link E2ePlatform}), its gateway, the member
 * keys of tenants acme and globex, and helpers that make data and wait on it. Each class makes the data it asserts
 * on, so they run in any order and one's failure is its own.
 */
@ExtendWith(E2ePlatform.class)
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
abstract class PlatformTest {

    static final String ADMIN_KEY = E2ePlatform.ADMIN_KEY;
    static final List<String> LABELS = SyntheticData.LABELS;

    static Platform platform;
    static Http gateway;
    static String acmeKey;
    static String globexKey;

    @BeforeAll
    static void bindPlatform() {
        E2ePlatform.Running running = E2ePlatform.running();
        platform = running.platform();
        gateway = running.gateway();
        acmeKey = running.acmeKey();
        globexKey = running.globexKey();
    }

    /** A new dataset of tenant acme with the generated labels and {@code records} generated records; returns its id. */
    static String datasetWithRecords(String name, int records) throws IOException {
        Http.Response created = gateway.postJson("/api/v1/datasets", acmeKey, Map.of("name", name, "labels", LABELS));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("id").stringValue();
        if (records > 0) {
            Http.Response uploaded = gateway.post("/api/v1/datasets/" + id + "/records", acmeKey, "application/x-ndjson",
                    records(records));
            assertThat(uploaded.json().path("accepted").asLong()).as(uploaded.body()).isEqualTo(records);
        }
        return id;
    }

    static void awaitHealthy(int port) throws InterruptedException {
        Http direct = new Http("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + E2ePlatform.START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (direct.get("/actuator/health", null).status() == 200) {
                    return;
                }
            }
            catch (RuntimeException ex) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the service on port " + port + " did not become healthy");
    }

    static JsonNode awaitJob(String jobId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode job = null;
        while (System.nanoTime() < deadline) {
            Http.Response response = gateway.get("/api/v1/training-jobs/" + jobId, acmeKey);
            if (response.status() != 200) {
                // the training service the gateway routes to may be restarting (the kill -9 test)
                Thread.sleep(1000);
                continue;
            }
            job = response.json();
            if (Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.path("status").stringValue())) {
                return job;
            }
            Thread.sleep(1000);
        }
        return job;
    }

    static String createKey(String tenant, String role) {
        return createKey(gateway, tenant, role);
    }

    static String createKey(Http gateway, String tenant, String role) {
        Http.Response created = gateway.postJson("/api/v1/admin/api-keys", ADMIN_KEY, Map.of("tenant", tenant, "role", role));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("key").stringValue();
    }

    static String base64Png(BufferedImage image) throws IOException {
        return Base64.getEncoder().encodeToString(png(image));
    }

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return png.toByteArray();
    }

    static byte[] records(int n) throws IOException {
        Random random = new Random(42);
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < n; i++) {
            SyntheticData.Sample s = SyntheticData.sample(i % 4, random);
            ndjson.append(Http.JSON.writeValueAsString(Map.of("id", "r" + i, "text", s.text(), "imageBase64",
                    base64Png(s.image()), "label", s.labelName()))).append('\n');
        }
        return ndjson.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A ZIP of {@code n} generated records: manifest.jsonl at the root and the PNGs it names. */
    static Path zip(Path file, int n) throws IOException {
        Random random = new Random(7);
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            StringBuilder manifest = new StringBuilder();
            for (int i = 0; i < n; i++) {
                SyntheticData.Sample s = SyntheticData.sample(i % 4, random);
                String image = "images/" + i + ".png";
                zip.putNextEntry(new java.util.zip.ZipEntry(image));
                zip.write(png(s.image()));
                zip.closeEntry();
                manifest.append(Http.JSON.writeValueAsString(Map.of("id", "z" + i, "text", s.text() + " " + i, "image", image,
                        "label", s.labelName()))).append('\n');
            }
            zip.putNextEntry(new java.util.zip.ZipEntry("manifest.jsonl"));
            zip.write(manifest.toString().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return file;
    }

    static int freePort() throws IOException {
        return E2ePlatform.freePort();
    }
}
