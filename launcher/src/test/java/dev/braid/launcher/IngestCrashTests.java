package dev.braid.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;

import dev.braid.testing.BlobFiles;
import dev.braid.testing.EmbeddedPostgresExtension;

/**
 * The dataset service killed with {@code kill -9} in the middle of an upload, after some of its images are in the
 * blob store and some of its records committed: once the service is back, the upload's rows, records and blobs are
 * all gone (no orphan blob, no dangling row), and the same archive then uploads whole, every row naming a blob that
 * exists and every blob named by a row.
 */
class IngestCrashTests extends PlatformTest {

    private static final int IMAGES = 48;

    @Test
    void shouldLeaveNoOrphanBlobAndNoDanglingRowWhenTheServiceIsKilledMidUpload() throws Exception {
        Http.Response created = gateway.postJson("/api/v1/datasets", acmeKey, Map.of("name", "crash", "labels", List.of("x", "y")));
        String datasetId = created.json().path("id").stringValue();
        byte[] archive = archive();
        Path blobs = platform.home().resolve("blobs").resolve("records").resolve(datasetId);

        Process killed = platform.process("dataset-service");
        try (Socket socket = new Socket("127.0.0.1", platform.port("gateway-service"))) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/datasets/" + datasetId + "/records HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + acmeKey + "\r\nContent-Type: application/zip\r\nContent-Length: " + archive.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(archive, 0, archive.length * 3 / 4);
            out.flush();
            // the rest of the body never comes: the upload waits for it with records committed and blobs written
            await("records committed and their blobs written", () -> count(
                    "select count(*) from dataset.record where dataset_id = ?::uuid", datasetId) >= 8 && files(blobs).size() >= 8);
            killed.destroyForcibly().waitFor();
        }
        assertThat(count("select count(*) from dataset.upload where dataset_id = ?::uuid", datasetId))
                .as("the dead upload's row is left, the intent the sweep works from").isEqualTo(1);
        assertThat(files(blobs)).isNotEmpty();

        await("the service back", () -> platform.process("dataset-service") != killed && platform.process("dataset-service").isAlive());
        awaitHealthy(platform.port("dataset-service"));
        await("the dead upload swept", () -> count("select count(*) from dataset.upload where dataset_id = ?::uuid", datasetId) == 0);
        assertThat(count("select count(*) from dataset.record where dataset_id = ?::uuid", datasetId)).isZero();
        assertThat(files(blobs)).as("no orphan blob").isEmpty();

        Http.Response uploaded = gateway.post("/api/v1/datasets/" + datasetId + "/records", acmeKey, "application/zip", archive);
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(200);
        assertThat(uploaded.json().path("accepted").asLong()).isEqualTo(IMAGES);
        List<String> named = new ArrayList<>();
        try (Connection db = database(); var query = db.prepareStatement(
                "select image_blob from dataset.record where dataset_id = ?::uuid order by image_blob")) {
            query.setString(1, datasetId);
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    named.add(rows.getString(1));
                }
            }
        }
        assertThat(files(blobs)).as("every blob named by a row, every row's blob there").isEqualTo(named).hasSize(IMAGES);
        assertThat(gateway.get("/api/v1/datasets/" + datasetId, acmeKey).json().path("recordCount").asLong()).isEqualTo(IMAGES);
    }

    /** A manifest first, then one unique noise PNG per record. */
    private static byte[] archive() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Random random = new Random(7);
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("manifest.jsonl"));
            for (int i = 0; i < IMAGES; i++) {
                zip.write(("{\"id\":\"c" + i + "\",\"text\":\"crash " + i + "\",\"image\":\"img/" + i + ".png\",\"label\":\""
                        + (i % 2 == 0 ? "x" : "y") + "\"}\n").getBytes(StandardCharsets.UTF_8));
            }
            for (int i = 0; i < IMAGES; i++) {
                BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 64; y++) {
                    for (int x = 0; x < 64; x++) {
                        image.setRGB(x, y, random.nextInt());
                    }
                }
                zip.putNextEntry(new ZipEntry("img/" + i + ".png"));
                zip.write(png(image));
            }
        }
        return bytes.toByteArray();
    }

    /** The blob keys under the dataset's prefix, as its rows name them, sorted; listed whatever the writers or the sweep do meanwhile. */
    private static List<String> files(Path prefix) {
        return BlobFiles.stored(platform.home().resolve("blobs"), prefix);
    }

    private static long count(String sql, String datasetId) {
        try (Connection db = database(); var query = db.prepareStatement(sql)) {
            query.setString(1, datasetId);
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
        catch (java.sql.SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static Connection database() throws java.sql.SQLException {
        return DriverManager.getConnection(EmbeddedPostgresExtension.jdbcUrl(), "postgres", "postgres");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + E2ePlatform.START_WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
