package dev.braid.dataset.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

import dev.braid.common.security.Role;
import dev.braid.dataset.DatasetServiceTest;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = ServiceTestClient.SECRET_PROPERTY)
class MultipartIngestTests extends DatasetServiceTest {

    private static final String BOUNDARY = "----braid-test-boundary-7MA4YWxkTrZu0gW";

    ServiceTestClient client;
    String datasetId;

    @BeforeEach
    void newDataset() {
        client = client();
        datasetId = createDataset("forms", List.of("cat", "dog"));
    }

    @Test
    void shouldStreamImagePartsAndTheManifestInAnyOrder() throws Exception {
        byte[] big = noisePng(200);
        assertThat(big.length).as("larger than the reader's buffer").isGreaterThan(70_000);
        byte[] body = multipart(
                part("images/big.png", "big.png", big),
                part("manifest", "manifest.jsonl", lines(
                        "{\"id\":\"m1\",\"text\":\"a big cat\",\"image\":\"images/big.png\",\"label\":\"cat\"}",
                        "{\"id\":\"m2\",\"image\":\"images/small.png\",\"label\":\"dog\"}",
                        "{\"id\":\"m3\",\"image\":\"images/gone.png\",\"label\":\"dog\"}")),
                part("images/small.png", null, noisePng(8)));

        ServiceTestClient.Response response = upload(body);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode report = response.json();
        assertThat(report.path("accepted").asLong()).isEqualTo(2);
        assertThat(report.path("rejected").get(0).path("reason").stringValue()).contains("missing from the archive");
        String exported = client.get("/internal/datasets/" + datasetId + "/records", "acme").body();
        assertThat(exported).contains(java.util.Base64.getEncoder().encodeToString(big));
    }

    @Test
    void shouldTakeACsvManifestPart() throws Exception {
        byte[] body = multipart(part("manifest", "records.csv", "text,label\nhello cat,cat\nhello dog,dog\n"
                .getBytes(StandardCharsets.UTF_8)));

        assertThat(upload(body).json().path("accepted").asLong()).isEqualTo(2);
    }

    @Test
    void shouldRefuseABodyCutShortAndKeepNothing() throws Exception {
        byte[] whole = multipart(part("manifest", "m.jsonl", lines("{\"text\":\"one\",\"label\":\"cat\"}",
                "{\"text\":\"two\",\"label\":\"dog\"}")), part("images/a.png", null, noisePng(30)));

        ServiceTestClient.Response cut = upload(Arrays.copyOf(whole, whole.length - 100));

        assertThat(cut.status()).isEqualTo(400);
        assertThat(cut.json().path("detail").stringValue()).contains("nothing from it was kept");
        assertThat(jdbc.sql("select count(*) from dataset.record where dataset_id = ?::uuid").param(datasetId)
                .query(Long.class).single()).isZero();
        assertThat(client.post("/api/v1/datasets/" + datasetId + "/records", "acme", Role.MEMBER, "multipart/form-data",
                whole).status()).as("no boundary").isEqualTo(400);
    }

    private ServiceTestClient.Response upload(byte[] body) {
        return client.post("/api/v1/datasets/" + datasetId + "/records", "acme", Role.MEMBER,
                "multipart/form-data; boundary=" + BOUNDARY, body);
    }

    private record Part(String name, String filename, byte[] content) {
    }

    private static Part part(String name, String filename, byte[] content) {
        return new Part(name, filename, content);
    }

    private static byte[] multipart(Part... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + p.name() + "\""
                    + (p.filename() == null ? "" : "; filename=\"" + p.filename() + "\"")
                    + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(p.content());
            out.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] lines(String... lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
