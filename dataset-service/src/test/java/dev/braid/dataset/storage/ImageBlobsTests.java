package dev.braid.dataset.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

import dev.braid.common.security.Role;
import dev.braid.dataset.DatasetServiceTest;
import dev.braid.testing.ServiceTestClient;

/**
 * Images live in the blob store, one sealed object per stored record, and nothing else is left there: not by a
 * duplicate, not by a deleted dataset; rows written while images lived in the database are moved out.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {ServiceTestClient.SECRET_PROPERTY, "braid.dataset.batch-size=4"})
class ImageBlobsTests extends DatasetServiceTest {

    @Autowired
    LegacyImages legacy;

    @Autowired
    RecordBlobs blobs;

    @Test
    void shouldKeepOneSealedBlobPerStoredRecordAndNoneForDuplicates() throws Exception {
        String dataset = createDataset("blobs", List.of("a", "b"));
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            body.append(line(i, i % 2 == 0 ? "a" : "b"));
        }
        body.append(line(3, "b")).append(line(3, "b")); // the same record again, in the same upload

        JsonNode first = upload(dataset, body.toString());
        JsonNode again = upload(dataset, body.toString());

        assertThat(first.path("accepted").asLong()).isEqualTo(30);
        assertThat(first.path("duplicates").asLong()).isEqualTo(2);
        assertThat(again.path("accepted").asLong()).isZero();
        assertThat(again.path("duplicates").asLong()).isEqualTo(32);
        List<String> named = jdbc.sql("select image_blob from dataset.record where dataset_id = ?::uuid order by image_blob")
                .param(dataset).query(String.class).list();
        assertThat(named).hasSize(30).doesNotContainNull();
        assertThat(blobsOf(dataset)).as("every blob is named by a record, every record's blob exists").isEqualTo(named);
        assertThat(jdbc.sql("select count(*) from dataset.record where dataset_id = ?::uuid and image_ct is not null")
                .param(dataset).query(Long.class).single()).isZero();

        String exported = client().get("/internal/datasets/" + dataset + "/records", "acme").body();
        for (int i = 0; i < 30; i++) {
            assertThat(exported).contains(Base64.getEncoder().encodeToString(noisePng(16 + i)));
        }
    }

    @Test
    void shouldDeleteADeletedDatasetsBlobs() throws Exception {
        String dataset = createDataset("deleted", List.of("a", "b"));
        String kept = createDataset("kept", List.of("a", "b"));
        upload(dataset, line(1, "a") + line(2, "b"));
        upload(kept, line(1, "a"));
        assertThat(blobsOf(dataset)).hasSize(2);

        assertThat(client().delete("/api/v1/datasets/" + dataset, "acme").status()).isEqualTo(204);

        assertThat(blobsOf(dataset)).isEmpty();
        assertThat(blobsOf(kept)).hasSize(1);
        assertThat(jdbc.sql("select count(*) from dataset.deleted_dataset where id = ?::uuid").param(dataset).query(Long.class)
                .single()).as("the tombstone stays for the sweep, for an upload that was still writing").isEqualTo(1);
    }

    @Test
    void shouldMoveImagesWrittenToTheDatabaseIntoTheBlobStoreAndStillExportThem() throws Exception {
        String dataset = createDataset("legacy", List.of("a", "b"));
        upload(dataset, line(7, "a") + line(8, "b") + "{\"text\":\"text only\",\"label\":\"a\"}\n");
        // as a version before this one stored them: the sealed image in the row, nothing in the store
        List<String> keys = jdbc.sql("select image_blob from dataset.record where dataset_id = ?::uuid and image_blob is not null")
                .param(dataset).query(String.class).list();
        for (String key : keys) {
            jdbc.sql("update dataset.record set image_ct = ?, image_blob = null where image_blob = ?")
                    .params(Files.readAllBytes(BLOB_ROOT.resolve(key)), key).update();
            blobs.delete(key);
        }
        assertThat(blobsOf(dataset)).isEmpty();
        String before = client().get("/internal/datasets/" + dataset + "/records", "acme").body();
        assertThat(before).contains(Base64.getEncoder().encodeToString(noisePng(16 + 7)));

        legacy.move();

        assertThat(jdbc.sql("select count(*) from dataset.record where dataset_id = ?::uuid and image_ct is not null")
                .param(dataset).query(Long.class).single()).isZero();
        List<String> moved = jdbc.sql("select image_blob from dataset.record where dataset_id = ?::uuid and image_blob is not null"
                + " order by image_blob").param(dataset).query(String.class).list();
        assertThat(moved).hasSize(2).allMatch(key -> key.startsWith("records/" + dataset + "/moved/"));
        assertThat(blobsOf(dataset)).isEqualTo(moved);
        assertThat(client().get("/internal/datasets/" + dataset + "/records", "acme").body())
                .as("the same ciphertext, under a key: nothing re-encrypted, everything readable").isEqualTo(before);
        assertThat(legacy.moveSome()).isZero();
    }

    private JsonNode upload(String dataset, String ndjson) {
        ServiceTestClient.Response response = client().post("/api/v1/datasets/" + dataset + "/records", "acme", Role.MEMBER,
                "application/x-ndjson", ndjson.getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static String line(int n, String label) throws Exception {
        return "{\"id\":\"r" + n + "\",\"text\":\"record " + n + "\",\"imageBase64\":\""
                + Base64.getEncoder().encodeToString(noisePng(16 + n)) + "\",\"label\":\"" + label + "\"}\n";
    }
}
