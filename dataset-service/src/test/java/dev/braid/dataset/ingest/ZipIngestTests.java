package dev.braid.dataset.ingest;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

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
        properties = {ServiceTestClient.SECRET_PROPERTY, "braid.dataset.batch-size=2", "braid.dataset.max-image-size=64KB",
                "braid.dataset.max-image-pixels=10000", "braid.dataset.max-text-length=40"})
class ZipIngestTests extends DatasetServiceTest {

    ServiceTestClient client;
    String datasetId;

    @BeforeEach
    void newDataset() {
        client = client();
        datasetId = createDataset("zips", List.of("cat", "dog"));
    }

    @Test
    void shouldPairAManifestWithTheImagesAfterItAndJudgeEachRecord() throws Exception {
        byte[] archive = zip(
                entry("manifest.jsonl", lines(
                        "{\"id\":\"r1\",\"text\":\"a cat\",\"image\":\"images/1.png\",\"label\":\"cat\"}",
                        "{\"id\":\"r2\",\"image\":\"images/missing.png\",\"label\":\"dog\"}",
                        "{\"id\":\"r3\",\"image\":\"images/notes.txt\",\"label\":\"dog\"}",
                        "{\"id\":\"r4\",\"text\":\"a wolf\",\"label\":\"wolf\"}",
                        "{\"id\":\"r5\",\"text\":\"only words\",\"label\":\"dog\"}",
                        "{\"id\":\"r6\",\"image\":\"../../etc/passwd\",\"label\":\"dog\"}",
                        "{\"id\":\"r7\",\"image\":\"./images//2.png\",\"label\":\"dog\"}",
                        "{\"id\":\"r8\",\"image\":\"images/wide.png\",\"label\":\"dog\"}",
                        "{\"id\":\"r9\",\"image\":\"images/heavy.png\",\"label\":\"dog\"}",
                        "{\"id\":\"r10\",\"text\":\"" + "long ".repeat(10) + "\",\"label\":\"dog\"}")),
                entry("images/1.png", png(1)),
                entry("images/notes.txt", "not an image".getBytes(StandardCharsets.UTF_8)),
                entry("images/2.png", png(2)),
                entry("images/1.png", png(3)),
                entry("../evil.png", png(4)),
                entry("images/unused.png", png(5)),
                entry("images/wide.png", blankPng(200, 60)),
                entry("images/heavy.png", noisePng(160)));

        JsonNode report = upload(archive);

        assertThat(report.path("accepted").asLong()).isEqualTo(3);
        Map<Long, String> reasons = reasons(report);
        assertThat(reasons).containsOnlyKeys(2L, 3L, 4L, 6L, 8L, 9L, 10L);
        assertThat(reasons.get(10L)).isEqualTo("text is longer than 40 characters");
        assertThat(reasons.get(8L)).isEqualTo("image has 12000 pixels, over the limit of 10000");
        assertThat(reasons.get(9L)).isEqualTo("image 'images/heavy.png' is larger than 64 KB");
        assertThat(reasons.get(2L)).isEqualTo("image 'images/missing.png' is missing from the archive");
        assertThat(reasons.get(3L)).isEqualTo("image is not a PNG or JPEG");
        assertThat(reasons.get(4L)).contains("'wolf' is not one of the dataset's labels");
        assertThat(reasons.get(6L)).contains("points outside the archive");
        assertThat(report.path("archive").path("duplicateEntries").get(0).stringValue()).isEqualTo("images/1.png");
        assertThat(report.path("archive").path("refusedEntries").get(0).stringValue()).startsWith("../evil.png");
        assertThat(report.path("archive").path("unreferencedImages").asLong()).isEqualTo(1);
        assertThat(upload(archive).path("duplicates").asLong()).as("the same archive again adds nothing").isEqualTo(3);
    }

    @Test
    void shouldStageImagesThatComeBeforeACsvManifest() throws Exception {
        byte[] archive = zip(
                entry("img/a.png", png(10)),
                entry("img/b.jpg", "\u00ff\u00d8\u00ff but truncated".getBytes(StandardCharsets.ISO_8859_1)),
                entry("manifest.csv", ("id,text,image,label\n"
                        + "c1,\"a cat, sitting\",img/a.png,cat\n"
                        + "c2,\"says \"\"woof\"\"\nover two lines\",,dog\n"
                        + "c3,,img/b.jpg,dog\n"
                        + "c4,too,many,fields,here\n").getBytes(StandardCharsets.UTF_8)));

        JsonNode report = upload(archive);

        assertThat(report.path("accepted").asLong()).isEqualTo(2);
        Map<Long, String> reasons = reasons(report);
        assertThat(reasons).containsOnlyKeys(5L, 6L);
        assertThat(reasons.get(5L)).contains("image is corrupt");
        assertThat(reasons.get(6L)).contains("the row has 5 fields, the header 4");
        String exported = client.get("/internal/datasets/" + datasetId + "/records", "acme").body();
        assertThat(exported).contains("a cat, sitting").contains("says \\\"woof\\\"\\nover two lines");
        assertThat(exported).contains(java.util.Base64.getEncoder().encodeToString(png(10)));
        assertThat(jdbc.sql("select count(*) from dataset.staged_image").query(Long.class).single()).isZero();
        assertThat(blobsOf(datasetId)).as("the staged image went; the record's own blob stays")
                .containsExactlyElementsOf(jdbc.sql("select image_blob from dataset.record where dataset_id = ?::uuid and image_blob is not null")
                        .param(datasetId).query(String.class).list());
        assertThat(blobsOf(datasetId)).hasSize(1);
    }

    @Test
    void shouldRefuseAZipBombAndTakeBackWhatItHadStored() throws Exception {
        byte[] archive = zip(
                entry("manifest.jsonl", lines("{\"text\":\"one\",\"label\":\"cat\"}", "{\"text\":\"two\",\"label\":\"cat\"}",
                        "{\"text\":\"three\",\"label\":\"cat\"}", "{\"text\":\"four\",\"label\":\"dog\"}")),
                entry("padding.bin", new byte[60 * 1024 * 1024]));

        ServiceTestClient.Response response = client.post(path(), "acme", Role.MEMBER, "application/zip", archive);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().path("detail").stringValue()).contains("zip bomb");
        assertThat(records()).as("the batches written before the bomb went off are gone").isZero();
    }

    @Test
    void shouldRefuseABodyThatIsNotAZipOrIsCutShort() throws Exception {
        ServiceTestClient.Response notZip = client.post(path(), "acme", Role.MEMBER, "application/zip",
                "{\"text\":\"hello\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(notZip.status()).isEqualTo(400);

        byte[] whole = zip(entry("manifest.jsonl", lines("{\"text\":\"one\",\"label\":\"cat\"}", "{\"text\":\"two\",\"label\":\"cat\"}",
                "{\"text\":\"three\",\"label\":\"cat\"}")), entry("images/a.png", png(7)), entry("images/b.png", png(8)));
        ServiceTestClient.Response cut = client.post(path(), "acme", Role.MEMBER, "application/zip",
                Arrays.copyOf(whole, whole.length - 200));
        assertThat(cut.status()).isEqualTo(400);
        assertThat(records()).isZero();

        ServiceTestClient.Response noManifest = client.post(path(), "acme", Role.MEMBER, "application/zip",
                zip(entry("images/a.png", png(9))));
        assertThat(noManifest.status()).isEqualTo(422);
    }

    private JsonNode upload(byte[] archive) {
        ServiceTestClient.Response response = client.post(path(), "acme", Role.MEMBER, "application/zip", archive);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private String path() {
        return "/api/v1/datasets/" + datasetId + "/records";
    }

    private long records() {
        return recordCount(datasetId);
    }

    private static Map<Long, String> reasons(JsonNode report) {
        Map<Long, String> reasons = new TreeMap<>();
        report.path("rejected").forEach(r -> reasons.put(r.path("line").asLong(), r.path("reason").stringValue()));
        return reasons;
    }

    private record Entry(String name, byte[] content) {
    }

    private static Entry entry(String name, byte[] content) {
        return new Entry(name, content);
    }

    private static byte[] lines(String... lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the entries in order; a repeated name (which ZipOutputStream refuses) is patched in afterwards. */
    private static byte[] zip(Entry... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        java.util.Set<String> names = new java.util.HashSet<>();
        Map<String, String> placeholders = new java.util.HashMap<>();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Entry e : entries) {
                String name = e.name();
                if (!names.add(name)) {
                    String placeholder = name.substring(0, name.length() - 1) + "~";
                    placeholders.put(placeholder, name);
                    name = placeholder;
                }
                zip.putNextEntry(new ZipEntry(name));
                zip.write(e.content());
                zip.closeEntry();
            }
        }
        byte[] out = bytes.toByteArray();
        placeholders.forEach((placeholder, name) -> replaceAll(out, placeholder.getBytes(StandardCharsets.UTF_8),
                name.getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    private static void replaceAll(byte[] data, byte[] from, byte[] to) {
        outer:
        for (int i = 0; i + from.length <= data.length; i++) {
            for (int j = 0; j < from.length; j++) {
                if (data[i + j] != from[j]) {
                    continue outer;
                }
            }
            System.arraycopy(to, 0, data, i, to.length);
        }
    }

    private static byte[] blankPng(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    private static byte[] png(int seed) throws IOException {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        image.setRGB(seed % 8, seed / 8 % 8, 0xffffff);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
