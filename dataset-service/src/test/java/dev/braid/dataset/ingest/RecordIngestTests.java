package dev.braid.dataset.ingest;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

import dev.braid.common.security.Role;
import dev.braid.dataset.DatasetServiceTest;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {ServiceTestClient.SECRET_PROPERTY, "braid.dataset.batch-size=3"})
class RecordIngestTests extends DatasetServiceTest {

    ServiceTestClient client;
    String datasetId;

    @BeforeEach
    void newDataset() {
        client = client();
        datasetId = createDataset("tickets", List.of("billing", "bug"));
    }

    @Test
    void shouldKeepGoodRecordsAndRejectEachBadOneWithItsReason() throws Exception {
        String png = Base64.getEncoder().encodeToString(png());
        byte[] body = join(
                "{\"id\":\"a1\",\"text\":\"refund please\",\"label\":\"billing\"}",
                "{\"id\":\"a2\",\"text\":\"app crashes\",\"label\":\"outage\"}",
                "{\"id\":\"a3\",\"label\":\"bug\"}",
                "not json at all",
                "{\"id\":\"a5\",\"imageBase64\":\"" + Base64.getEncoder().encodeToString("GIF89a....".getBytes()) + "\",\"label\":\"bug\"}",
                "{\"id\":\"a6\",\"imageBase64\":\"" + png + "\",\"label\":\"bug\"}",
                "{\"id\":\"a7\",\"text\":\"'; drop table dataset.record; --\",\"label\":\"bug\"}",
                "{\"id\":\"a8\",\"imageBase64\":\"%%%\",\"label\":\"bug\"}");
        byte[] withBadUtf8 = concat(body, new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});

        JsonNode report = client.post("/api/v1/datasets/" + datasetId + "/records", "acme", Role.MEMBER,
                "application/x-ndjson", withBadUtf8).json();

        assertThat(report.path("accepted").asLong()).isEqualTo(3);
        assertThat(report.path("duplicates").asLong()).isZero();
        Map<Long, String> reasons = new java.util.TreeMap<>();
        report.path("rejected").forEach(r -> reasons.put(r.path("line").asLong(), r.path("reason").stringValue()));
        assertThat(reasons).containsOnlyKeys(2L, 3L, 4L, 5L, 8L, 9L);
        assertThat(reasons.get(2L)).contains("'outage' is not one of the dataset's labels");
        assertThat(reasons.get(3L)).isEqualTo("the record has neither text nor an image");
        assertThat(reasons.get(4L)).isEqualTo("the line is not a valid JSON record");
        assertThat(reasons.get(5L)).isEqualTo("image is not a PNG or JPEG");
        assertThat(reasons.get(8L)).isEqualTo("imageBase64 is not valid base64");
        assertThat(reasons.get(9L)).isEqualTo("the line is not valid UTF-8");
        assertThat(jdbc.sql("select count(*) from dataset.record").query(Long.class).single()).isGreaterThanOrEqualTo(3);
        String exported = client.get("/internal/datasets/" + datasetId + "/records", "acme").body();
        assertThat(exported).contains("'; drop table dataset.record; --").contains("refund please");
    }

    @Test
    void shouldAddNothingWhenTheSameDataIsUploadedTwice() {
        byte[] body = join("{\"text\":\"one\",\"label\":\"bug\"}", "{\"text\":\"two\",\"label\":\"bug\"}",
                "{\"text\":\"one\",\"label\":\"bug\"}");
        String path = "/api/v1/datasets/" + datasetId + "/records";

        JsonNode first = client.post(path, "acme", Role.MEMBER, "application/x-ndjson", body).json();
        JsonNode second = client.post(path, "acme", Role.MEMBER, "application/x-ndjson", body).json();

        assertThat(first.path("accepted").asLong()).isEqualTo(2);
        assertThat(first.path("duplicates").asLong()).isEqualTo(1);
        assertThat(second.path("accepted").asLong()).isZero();
        assertThat(second.path("duplicates").asLong()).isEqualTo(3);
        JsonNode dataset = client.get("/api/v1/datasets/" + datasetId, "acme").json();
        assertThat(dataset.path("recordCount").asLong()).isEqualTo(2);
        long perSplit = 0;
        for (String split : List.of("train", "validation", "test")) {
            perSplit += dataset.path("splits").path(split).path("bug").asLong(0);
        }
        assertThat(perSplit).isEqualTo(2);
    }

    @Test
    void shouldStoreTheSameDataOnceWhenTwoUploadsRace() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            lines.append("{\"text\":\"ticket ").append(i).append("\",\"label\":\"bug\"}\n");
        }
        byte[] body = lines.toString().getBytes(StandardCharsets.UTF_8);
        String path = "/api/v1/datasets/" + datasetId + "/records";
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        var first = pool.submit(() -> client.post(path, "acme", Role.MEMBER, "application/x-ndjson", body).json());
        var second = pool.submit(() -> client.post(path, "acme", Role.MEMBER, "application/x-ndjson", body).json());
        long accepted = first.get().path("accepted").asLong() + second.get().path("accepted").asLong();
        long duplicates = first.get().path("duplicates").asLong() + second.get().path("duplicates").asLong();
        pool.shutdown();

        assertThat(accepted).isEqualTo(300);
        assertThat(duplicates).isEqualTo(300);
        assertThat(recordCount(datasetId)).isEqualTo(300);
    }

    @Test
    void shouldRefuseABodyThatIsNotNdjsonAndStoreNothing() {
        ServiceTestClient.Response response = client.post("/api/v1/datasets/" + datasetId + "/records", "acme",
                Role.MEMBER, "application/x-ndjson", "PK\u0003\u0004 binary junk".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(client.get("/api/v1/datasets/" + datasetId, "acme").json().path("recordCount").asLong()).isZero();
    }

    @Test
    void shouldRefuseAnotherTenantsDatasetAndAnUnsupportedMediaType() {
        byte[] body = join("{\"text\":\"one\",\"label\":\"bug\"}");
        String path = "/api/v1/datasets/" + datasetId + "/records";

        assertThat(client.post(path, "other", Role.MEMBER, "application/x-ndjson", body).status()).isEqualTo(404);
        assertThat(client.get("/api/v1/datasets/" + datasetId, "other").status()).isEqualTo(404);
        assertThat(client.post(path, "acme", Role.MEMBER, "text/csv", body).status()).isEqualTo(415);
        assertThat(client.getWithoutToken("/api/v1/datasets").status()).isEqualTo(401);
    }

    private static byte[] png() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    private static byte[] join(String... lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
