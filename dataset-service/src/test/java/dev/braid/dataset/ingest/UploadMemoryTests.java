package dev.braid.dataset.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.common.security.Role;
import dev.braid.dataset.DatasetServiceTest;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Archives built to make the service hold or write far more than they carry: manifest records waiting for images
 * that never come, one upload or several at once, and one image named by many records. With limits made small, so
 * that a few hundred records reach them: 256 KB held per upload, 384 KB by all uploads, and images written at most
 * twice the bytes carried plus 16 KB.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {ServiceTestClient.SECRET_PROPERTY, "braid.dataset.archive.max-waiting=256KB",
                "braid.dataset.archive.max-held-total=384KB", "braid.dataset.archive.max-image-write-ratio=2",
                "braid.dataset.archive.image-write-allowance=16KB"})
class UploadMemoryTests extends DatasetServiceTest {

    @Autowired
    UploadMemory memory;

    ServiceTestClient client;
    String datasetId;

    @BeforeEach
    void newDataset() {
        client = client();
        datasetId = createDataset("memory", List.of("cat", "dog"));
    }

    @AfterEach
    void nothingHeld() {
        assertThat(memory.held()).as("every upload gave back what it held").isZero();
    }

    @Test
    void shouldRefuseAnUploadWhoseWaitingRecordsPassItsShareAndKeepNothing() throws IOException {
        // each record is counted at 336 bytes as it is really held: 800 of them pass 256 KB, where the old count saw 64 KB
        ServiceTestClient.Response refused = upload(manifestFirst(800));
        assertThat(refused.status()).as(refused.body()).isEqualTo(413);
        assertThat(refused.json().path("type").stringValue()).endsWith("/archive-too-large");
        assertThat(refused.json().path("detail").stringValue())
                .contains("holds more than 256 KB of manifest records whose images come after the manifest");
        assertThat(recordCount(datasetId)).isZero();
        assertThat(upload(manifestFirst(500)).status()).as("500 records fit").isEqualTo(200);
    }

    @Test
    void shouldAnswer503WhileOtherUploadsHoldWhatTheServiceGivesThem() throws Exception {
        // upload A sends its manifest of 500 waiting records (168 KB) and the start of its first image, then holds its
        // body open until the test lets it go on
        ByteArrayOutputStream archiveA = new ByteArrayOutputStream();
        int heldAt;
        try (ZipOutputStream zip = new ZipOutputStream(archiveA)) {
            zip.putNextEntry(new ZipEntry("manifest.jsonl"));
            zip.write(manifest(500, "a"));
            zip.putNextEntry(new ZipEntry("images/a0.png"));
            zip.flush();
            heldAt = archiveA.size();
            zip.write(noisePng(20));
        }
        String otherDataset = createDataset("memory-b", List.of("cat", "dog"));
        HttpURLConnection uploadA = client.openPost("/api/v1/datasets/" + datasetId + "/records", "acme", "application/zip");
        OutputStream bodyA = uploadA.getOutputStream();
        bodyA.write(archiveA.toByteArray(), 0, heldAt);
        bodyA.flush();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (memory.held() < 160 * 1024) {
            assertThat(System.nanoTime()).as("upload A holds its waiting records: " + memory.held()).isLessThan(deadline);
            Thread.sleep(20);
        }

        // upload B, 700 waiting records (235 KB), is within its own share but not within what is left of the service's
        ServiceTestClient.Response busy = client.post("/api/v1/datasets/" + otherDataset + "/records", "acme", Role.MEMBER,
                "application/zip", manifestFirst(700));
        assertThat(busy.status()).as(busy.body()).isEqualTo(503);
        assertThat(busy.header("Retry-After")).isNotNull();
        assertThat(busy.json().path("detail").stringValue()).contains("Archive uploads in progress hold all the memory");
        assertThat(recordCount(otherDataset)).isZero();

        bodyA.write(archiveA.toByteArray(), heldAt, archiveA.size() - heldAt);
        bodyA.close();
        assertThat(uploadA.getResponseCode()).isEqualTo(200);
        JsonNode done;
        try (InputStream answer = uploadA.getInputStream()) {
            done = JsonMapper.builder().build().readTree(answer);
        }
        assertThat(done.path("accepted").asLong()).as("a0.png came; the rest never did").isEqualTo(1);
        assertThat(done.path("rejectedCount").asLong()).isEqualTo(499);
    }

    @Test
    void shouldBoundWhatAnUploadWritesOfAnImageNamedByManyRecords() throws IOException {
        byte[] image = noisePng(60); // about 11 KB: 2 × 11 + 16 KB allows three copies
        ServiceTestClient.Response fits = upload(zip(manifestNaming("images/shared.png", 3), image, false));
        assertThat(fits.status()).as(fits.body()).isEqualTo(200);
        assertThat(fits.json().path("accepted").asLong()).isEqualTo(3);
        assertThat(blobsOf(datasetId)).hasSize(3);

        String other = createDataset("amplified", List.of("cat", "dog"));
        ServiceTestClient.Response refused = client.post("/api/v1/datasets/" + other + "/records", "acme", Role.MEMBER,
                "application/zip", zip(manifestNaming("images/shared.png", 1000), image, true));
        assertThat(refused.status()).as(refused.body()).isEqualTo(413);
        assertThat(refused.json().path("detail").stringValue()).contains("names its images so many times")
                .contains("each record stores its own copy");
        assertThat(recordCount(other)).isZero();
        assertThat(blobsOf(other)).as("what it had written is taken back").isEmpty();
    }

    private ServiceTestClient.Response upload(byte[] archive) {
        return client.post("/api/v1/datasets/" + datasetId + "/records", "acme", Role.MEMBER, "application/zip", archive);
    }

    /** A ZIP whose manifest comes first and names {@code records} images that never come. */
    private static byte[] manifestFirst(int records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("manifest.jsonl"));
            zip.write(manifest(records, "m"));
        }
        return out.toByteArray();
    }

    /** Records r0… naming images/{prefix}0.png…, each id, label and path as short as a real one. */
    private static byte[] manifest(int records, String prefix) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < records; i++) {
            lines.append("{\"id\":\"r").append(i).append("\",\"image\":\"images/").append(prefix).append(i)
                    .append(".png\",\"label\":\"cat\"}\n");
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] manifestNaming(String image, int records) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < records; i++) {
            lines.append("{\"id\":\"r").append(i).append("\",\"text\":\"record ").append(i).append("\",\"image\":\"").append(image)
                    .append("\",\"label\":\"dog\"}\n");
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The manifest and images/shared.png, the image first (staged until the manifest comes) or last (records wait for it). */
    private static byte[] zip(byte[] manifest, byte[] image, boolean imageFirst) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String entry : imageFirst ? List.of("images/shared.png", "manifest.jsonl") : List.of("manifest.jsonl", "images/shared.png")) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.write(entry.equals("manifest.jsonl") ? manifest : image);
            }
        }
        return out.toByteArray();
    }
}
