package dev.braid.dataset.ingest;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

import dev.braid.common.security.InternalTokenCodec;
import dev.braid.common.security.Role;
import dev.braid.dataset.DatasetServiceTest;
import dev.braid.dataset.storage.RecordBlobs;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** An upload is all or nothing whatever ends it, and what it costs in memory is bounded whatever it holds. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {ServiceTestClient.SECRET_PROPERTY, "braid.dataset.batch-size=3", "braid.dataset.max-reported-rejections=5"})
class UploadAtomicityTests extends DatasetServiceTest {

    @Autowired
    AbandonedUploads sweeper;

    @Autowired
    RecordBlobs blobs;

    ServiceTestClient client;
    String datasetId;

    @BeforeEach
    void newDataset() {
        client = client();
        datasetId = createDataset("atomic", List.of("a", "b"));
    }

    @Test
    void shouldTakeBackEverythingAnUploadWroteWhenItsClientGoesAway() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            lines.append("{\"text\":\"record ").append(i).append("\",\"imageBase64\":\"")
                    .append(java.util.Base64.getEncoder().encodeToString(noisePng(8 + i))).append("\",\"label\":\"a\"}\n");
        }
        byte[] sent = lines.toString().getBytes(StandardCharsets.UTF_8);
        String token = new InternalTokenCodec(ServiceTestClient.SECRET, Duration.ofMinutes(1)).issue("acme", Role.MEMBER, "k", null);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/datasets/" + datasetId + "/records HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-ndjson\r\nContent-Length: " + (sent.length * 1000) + "\r\n"
                    + InternalTokenCodec.HEADER + ": " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(sent);
            out.flush();
            awaitAtLeast("select count(*) from dataset.record where dataset_id = ?::uuid", 3); // batches of 3 were written
            // a committed row's image was written before it: look at those blobs, not at a directory the writers still change
            List<String> named = jdbc.sql("select image_blob from dataset.record where dataset_id = ?::uuid").param(datasetId)
                    .query(String.class).list();
            assertThat(named).hasSizeGreaterThanOrEqualTo(3).allMatch(key -> Files.isRegularFile(BLOB_ROOT.resolve(key)));
        }
        // the client is gone mid-body: the service takes the upload back on its own, its images too
        awaitAtMost("select count(*) from dataset.upload where dataset_id = ?::uuid", 0);
        assertThat(recordCount(datasetId)).isZero();
        assertThat(blobsOf(datasetId)).isEmpty();
    }

    @Test
    void shouldRefuseAnArchiveWithANonUtf8EntryNameAndKeepNothing() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.ISO_8859_1)) {
            zip.putNextEntry(new ZipEntry("manifest.jsonl"));
            for (int i = 0; i < 10; i++) {
                zip.write(("{\"text\":\"zip " + i + "\",\"label\":\"a\"}\n").getBytes(StandardCharsets.UTF_8));
            }
            zip.putNextEntry(new ZipEntry("caf\u00e9.png")); // 0xE9 alone: not UTF-8
            zip.write(noisePng(8));
        }

        ServiceTestClient.Response refused = client.post("/api/v1/datasets/" + datasetId + "/records", "acme", Role.MEMBER,
                "application/zip", bytes.toByteArray());

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("detail").stringValue()).contains("not valid UTF-8").contains("nothing from it was kept");
        assertThat(recordCount(datasetId)).isZero();
        assertThat(count("select count(*) from dataset.upload where dataset_id = ?::uuid")).isZero();
    }

    @Test
    void shouldHideAnUploadInProgressAndSweepOnlyTheAbandonedOnes() throws Exception {
        UUID live = UUID.randomUUID();
        UUID dead = UUID.randomUUID();
        jdbc.sql("insert into dataset.upload (id, dataset_id) values (?, ?::uuid)").params(live, datasetId).update();
        jdbc.sql("insert into dataset.upload (id, dataset_id, active_at) values (?, ?::uuid, now() - interval '2 hours')")
                .params(dead, datasetId).update();
        for (UUID upload : List.of(live, dead)) {
            String key = RecordBlobs.recordKey(UUID.fromString(datasetId), upload, UUID.randomUUID());
            blobs.put(key, new byte[] {1, 2, 3});
            blobs.put(RecordBlobs.stagedKey(UUID.fromString(datasetId), upload, "00ff"), new byte[] {4});
            jdbc.sql("""
                    insert into dataset.record (id, dataset_id, label, image_blob, fingerprint, split, upload_id)
                    values (?, ?::uuid, 'a', ?, ?, 'train', ?)""")
                    .params(UUID.randomUUID(), datasetId, key, upload.toString().getBytes(StandardCharsets.UTF_8), upload).update();
            jdbc.sql("insert into dataset.staged_image (upload_id, path, dataset_id, reason) values (?, 'x.png', ?::uuid, 'r')")
                    .params(upload, datasetId).update();
        }

        JsonNode dataset = client.get("/api/v1/datasets/" + datasetId, "acme").json();
        assertThat(dataset.path("recordCount").asLong()).as("records of unfinished uploads are not the dataset's yet").isZero();
        assertThat(client.get("/internal/datasets/" + datasetId + "/records", "acme").body()).isBlank();

        sweeper.sweep();

        assertThat(count("select count(*) from dataset.record where dataset_id = ?::uuid and upload_id = '" + dead + "'")).isZero();
        assertThat(count("select count(*) from dataset.staged_image where dataset_id = ?::uuid and upload_id = '" + dead + "'")).isZero();
        assertThat(blobsOf(datasetId)).as("the dead upload's blobs go, records and staged alike")
                .allMatch(key -> key.startsWith(RecordBlobs.uploadPrefix(UUID.fromString(datasetId), live))).hasSize(2);
        assertThat(count("select count(*) from dataset.upload where dataset_id = ?::uuid and abandoned_at is not null"))
                .as("its row stays, marked, so a write still in flight cannot add a record").isEqualTo(1);
        assertThat(count("select count(*) from dataset.record where dataset_id = ?::uuid and upload_id = '" + live + "'"))
                .as("a live upload is left alone").isEqualTo(1);
        assertThat(count("select count(*) from dataset.staged_image where dataset_id = ?::uuid and upload_id = '" + live + "'"))
                .isEqualTo(1);

        // a blob the dead upload's writer was still sending when it was marked lands after the sweep
        String late = RecordBlobs.recordKey(UUID.fromString(datasetId), dead, UUID.randomUUID());
        blobs.put(late, new byte[] {5});
        jdbc.sql("update dataset.upload set abandoned_at = now() - interval '2 hours' where id = ?").param(dead).update();
        sweeper.sweep();

        assertThat(blobsOf(datasetId)).doesNotContain(late).hasSize(2);
        assertThat(count("select count(*) from dataset.upload where dataset_id = ?::uuid and id = '" + dead + "'"))
                .as("one limit after the mark, the row goes").isZero();
        // the live upload ends, as a refused one would, leaving nothing for other tests to find
        blobs.delete(RecordBlobs.uploadPrefix(UUID.fromString(datasetId), live));
        jdbc.sql("delete from dataset.staged_image where upload_id = ?").param(live).update();
        jdbc.sql("delete from dataset.record where upload_id = ?").param(live).update();
        jdbc.sql("delete from dataset.upload where id = ?").param(live).update();
    }

    @Test
    void shouldBoundTheReportAndRefuseAmbiguousOrOversizedRecords() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            body.append("{\"text\":\"bad ").append(i).append("\",\"label\":\"nope\"}\n");
        }
        body.append("{\"text\":\"both\",\"image\":\"x.png\",\"imageBase64\":\"AAAA\",\"label\":\"a\"}\n");
        body.append("{\"text\":\"fine\",\"label\":\"a\"}\n");
        JsonNode report = client.post("/api/v1/datasets/" + datasetId + "/records", "acme", Role.MEMBER, "application/x-ndjson",
                body.toString().getBytes(StandardCharsets.UTF_8)).json();

        assertThat(report.path("accepted").asLong()).isEqualTo(1);
        assertThat(report.path("rejectedCount").asLong()).isEqualTo(13);
        assertThat(report.path("rejected").findValues("line")).extracting(JsonNode::asLong).containsExactly(1L, 2L, 3L, 4L, 5L);

        ByteArrayOutputStream zipBytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipBytes)) {
            zip.putNextEntry(new ZipEntry("manifest.csv"));
            zip.write(("text,label\nok,a\n" + ",".repeat(40) + "\nafter,a\n").getBytes(StandardCharsets.UTF_8));
        }
        JsonNode csv = client.post("/api/v1/datasets/" + datasetId + "/records", "acme", Role.MEMBER, "application/zip",
                zipBytes.toByteArray()).json();
        assertThat(csv.path("accepted").asLong()).isEqualTo(1);
        assertThat(csv.path("rejected").get(0).path("reason").stringValue()).contains("more than 16 fields");

        JsonNode both = client.post("/api/v1/datasets/" + datasetId + "/records", "acme", Role.MEMBER, "application/zip",
                zipOf("manifest.jsonl", "{\"text\":\"t\",\"image\":\"i.png\",\"imageBase64\":\"AAAA\",\"label\":\"a\"}\n")).json();
        assertThat(both.path("rejected").get(0).path("reason").stringValue()).contains("both 'image' and 'imageBase64'");
    }

    private static byte[] zipOf(String name, String content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private long count(String sql) {
        return jdbc.sql(sql).param(datasetId).query(Long.class).single();
    }

    private void awaitAtLeast(String sql, long value) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (count(sql) < value) {
            assertThat(System.nanoTime()).as(sql + " reaches " + value).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private void awaitAtMost(String sql, long value) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (count(sql) > value) {
            assertThat(System.nanoTime()).as(sql + " falls to " + value).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
