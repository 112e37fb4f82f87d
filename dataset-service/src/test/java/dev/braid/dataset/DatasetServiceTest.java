package dev.braid.dataset;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.braid.testing.BlobFiles;
import dev.braid.testing.EmbeddedPostgresExtension;
import dev.braid.testing.FakePrivacyService;
import dev.braid.testing.ServiceTestClient;

/**
 * What the dataset service's HTTP tests share: the embedded PostgreSQL, the privacy stand-in, a
 * client that calls as the gateway would, and a fresh dataset per test. Subclasses add
 * {@code @SpringBootTest(webEnvironment = RANDOM_PORT, properties = ServiceTestClient.SECRET_PROPERTY)}.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
public abstract class DatasetServiceTest {

    protected static final FakePrivacyService privacy = FakePrivacyService.shared();
    /** The file-system blob store of every test context in this JVM, under target/. */
    protected static final java.nio.file.Path BLOB_ROOT = blobRoot();

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    @DynamicPropertySource
    static void privacyService(DynamicPropertyRegistry registry) {
        registry.add("braid.dataset.services.privacy", privacy::url);
        registry.add("braid.dataset.services.training", privacy::url);
        registry.add("braid.dataset.services.inference", privacy::url);
        registry.add("braid.platform.blob-root", BLOB_ROOT::toString);
    }

    /**
     * The files stored for a dataset, relative to the store's root, sorted, temporary ones included (one left behind
     * is a leak). Listed with {@link BlobFiles}, so a listing taken while writers still rename never fails; a test
     * that must see a settled directory waits for the condition that settles it first.
     */
    protected static List<String> blobsOf(String datasetId) {
        return BlobFiles.under(BLOB_ROOT, BLOB_ROOT.resolve("records").resolve(datasetId));
    }

    private static java.nio.file.Path blobRoot() {
        try {
            java.nio.file.Path target = java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "test-blobs"));
            return java.nio.file.Files.createTempDirectory(target.toAbsolutePath(), "run-");
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    protected ServiceTestClient client() {
        return new ServiceTestClient(port);
    }

    /** A new dataset of tenant {@code acme} with these labels; returns its id. */
    protected String createDataset(String name, List<String> labels) {
        return client().postJson("/api/v1/datasets", "acme", Map.of("name", name, "labels", labels)).json().path("id").stringValue();
    }

    /** A PNG of random pixels: unique, barely compressible, {@code side}² pixels. */
    protected static byte[] noisePng(int side) throws java.io.IOException {
        java.util.Random random = new java.util.Random(side);
        java.awt.image.BufferedImage image =
                new java.awt.image.BufferedImage(side, side, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                image.setRGB(x, y, random.nextInt());
            }
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    protected long recordCount(String datasetId) {
        return jdbc.sql("select count(*) from dataset.record where dataset_id = ?::uuid").param(datasetId).query(Long.class).single();
    }
}
