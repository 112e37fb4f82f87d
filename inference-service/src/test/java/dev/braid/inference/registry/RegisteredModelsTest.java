package dev.braid.inference.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.braid.common.blob.BlobStore;
import dev.braid.common.crypto.RawAead;
import dev.braid.common.internalapi.ModelArtifacts;
import dev.braid.common.report.BranchMetrics;
import dev.braid.common.report.JobMetrics;
import dev.braid.model.MultimodalTrainer;
import dev.braid.model.SyntheticData;
import dev.braid.model.TrainingListener;
import dev.braid.model.TrainingOptions;
import dev.braid.testing.EmbeddedPostgresExtension;
import dev.braid.testing.FakePrivacyService;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inference service on a real PostgreSQL with a real model, trained once per test JVM on
 * generated data and registered the way training registers it (sealed under its dataset's key).
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {ServiceTestClient.SECRET_PROPERTY,
        "braid.inference.batching.queue-capacity=8", "braid.inference.batching.max-delay=2ms"})
public abstract class RegisteredModelsTest {

    @TempDir
    static Path blobs;

    protected static byte[] artifact;

    @LocalServerPort
    protected int port;

    @Autowired
    BlobStore store;

    @DynamicPropertySource
    static void blobRoot(DynamicPropertyRegistry registry) {
        registry.add("braid.platform.blob-root", blobs::toString);
        registry.add("braid.inference.privacy-url", () -> FakePrivacyService.shared().url());
    }

    @BeforeAll
    static void train() throws Exception {
        if (artifact == null) {
            artifact = new MultimodalTrainer().train(SyntheticData.examples(120, 3), SyntheticData.LABELS,
                    new TrainingOptions(10, 16, 0.01, 5), TrainingListener.NONE).artifact().toBytes();
        }
    }

    /** Seals and stores the artifact as training does, registers it for the dataset; returns the model id. */
    protected String register(ServiceTestClient client, String tenant, UUID dataset, byte[] bytes) throws Exception {
        UUID id = UUID.randomUUID();
        String key = artifactKey(tenant, id);
        // sealed the way training seals it: the dataset's data key, associated data naming the model
        byte[] dataKey = FakePrivacyService.shared().dataKey(tenant, dataset.toString());
        store.put(key, RawAead.of(dataKey).encrypt(bytes, ModelArtifacts.sealingContext(id).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        ServiceTestClient.Response response = registration(client, tenant, id, dataset, key);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().path("id").stringValue();
    }

    /** What a training job reports, as the training service registers it: the fused branch and α. */
    static final JobMetrics METRICS = new JobMetrics(null, null, new BranchMetrics(0.9, List.of(0.85, 0.94), 0.89, 100,
            Map.of(), List.of()), 0.4, null, null);

    static String artifactKey(String tenant, UUID model) {
        return ModelArtifacts.key(tenant, model);
    }

    static ServiceTestClient.Response registration(ServiceTestClient client, String tenant, UUID model, UUID dataset, String key) {
        return client.postJson("/internal/models", tenant, Map.of("id", model, "datasetId", dataset,
                "jobId", UUID.randomUUID(), "labels", SyntheticData.LABELS, "metrics", METRICS, "artifactKey", key));
    }
}
