package dev.braid.dataset.crypto;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import dev.braid.common.security.Role;
import dev.braid.dataset.DatasetServiceTest;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = ServiceTestClient.SECRET_PROPERTY)
class EncryptionAtRestTests extends DatasetServiceTest {

    private static final String SECRET_TEXT = "patient reports chest pain since Tuesday";

    @Test
    void shouldStoreNoPlaintextTextAndNoImageBytesAndStillServeThemDecrypted() throws Exception {
        ServiceTestClient client = client();
        String dataset = createDataset("clinic", List.of("cardio", "other"));
        byte[] png = png();
        String body = "{\"id\":\"mrn-0042-7781\",\"text\":\"" + SECRET_TEXT + "\",\"imageBase64\":\""
                + Base64.getEncoder().encodeToString(png) + "\",\"label\":\"cardio\"}\n";
        assertThat(client.post("/api/v1/datasets/" + dataset + "/records", "acme", Role.MEMBER, "application/x-ndjson",
                body.getBytes(StandardCharsets.UTF_8)).json().path("accepted").asLong()).isEqualTo(1);

        byte[] textCt = jdbc.sql("select text_ct from dataset.record where dataset_id = ?::uuid").param(dataset)
                .query(byte[].class).single();
        assertThat(jdbc.sql("select count(*) from dataset.record where image_ct is not null").query(Long.class).single())
                .as("images are in the blob store, not the database").isZero();
        String imageKey = jdbc.sql("select image_blob from dataset.record where dataset_id = ?::uuid").param(dataset)
                .query(String.class).single();
        assertThat(blobsOf(dataset)).containsExactly(imageKey);
        byte[] imageCt = java.nio.file.Files.readAllBytes(BLOB_ROOT.resolve(imageKey));
        assertThat(contains(textCt, SECRET_TEXT.getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(contains(imageCt, new byte[] {(byte) 0x89, 'P', 'N', 'G'})).isFalse();
        assertThat(contains(imageCt, java.util.Arrays.copyOfRange(png, 16, 48))).isFalse();
        assertThat(jdbc.sql("select count(*) from dataset.record where position(convert_to(?, 'UTF8') in text_ct) > 0")
                .param("chest pain").query(Long.class).single()).isZero();

        assertThat(jdbc.sql("select count(*) from dataset.record where dataset_id = ?::uuid and external_id is not null")
                .param(dataset).query(Long.class).single()).as("the external id is sealed too").isZero();
        byte[] externalCt = jdbc.sql("select external_id_ct from dataset.record where dataset_id = ?::uuid").param(dataset)
                .query(byte[].class).single();
        assertThat(contains(externalCt, "mrn-0042".getBytes(StandardCharsets.UTF_8))).isFalse();

        String exported = client.get("/internal/datasets/" + dataset + "/records", "acme").body();
        assertThat(exported).contains(SECRET_TEXT).contains(Base64.getEncoder().encodeToString(png)).contains("mrn-0042-7781");

        // a label changed in the table, not through Braid, leaves the record unreadable rather than relabelled
        jdbc.sql("update dataset.record set label = 'other' where dataset_id = ?::uuid").param(dataset).update();
        assertThat(client.get("/internal/datasets/" + dataset + "/records", "acme").body()).doesNotContain(SECRET_TEXT);
        jdbc.sql("update dataset.record set label = 'cardio' where dataset_id = ?::uuid").param(dataset).update();
        assertThat(client.get("/internal/datasets/" + dataset + "/records", "acme").body()).contains(SECRET_TEXT);

        // a ciphertext moved onto another record does not decrypt
        jdbc.sql("update dataset.record set text_ct = ? where dataset_id = ?::uuid").params(imageCt, dataset).update();
        assertThat(client.get("/internal/datasets/" + dataset + "/records", "acme").body()).doesNotContain(SECRET_TEXT);
    }

    @Test
    void shouldCryptoShredADeletedDataset() {
        ServiceTestClient client = client();
        String dataset = createDataset("to-delete", List.of("a"));
        client.post("/api/v1/datasets/" + dataset + "/records", "acme", Role.MEMBER, "application/x-ndjson",
                "{\"text\":\"forget me\",\"label\":\"a\"}\n".getBytes(StandardCharsets.UTF_8));

        assertThat(client.delete("/api/v1/datasets/" + dataset, "acme").status()).isEqualTo(204);

        assertThat(privacy.isDestroyed("acme", dataset)).isTrue();
        assertThat(privacy.wasRevokedBeforeItsKeyWasDestroyed("acme", dataset))
                .as("inference and training were told to revoke its models and jobs first").isTrue();
        assertThat(recordCount(dataset)).isZero();
        assertThat(client.get("/api/v1/datasets/" + dataset, "acme").status()).isEqualTo(404);
    }

    private static byte[] png() throws Exception {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 3, 0xff00ff);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
