package dev.braid.training.job;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.braid.common.blob.BlobStore;
import dev.braid.common.internalapi.DatasetRecordsApi.DatasetSummary;
import dev.braid.common.internalapi.ModelArtifacts;
import dev.braid.common.security.Caller;
import dev.braid.common.security.CallerContext;
import dev.braid.common.security.Role;
import dev.braid.model.ModelArtifact;
import dev.braid.model.TrainingResult;
import dev.braid.testing.EmbeddedPostgresExtension;
import dev.braid.testing.FakePrivacyService;
import dev.braid.testing.ServiceTestClient;
import dev.braid.testing.StubHttpServer;
import dev.braid.training.remote.DatasetDeleted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A job that finishes after its dataset was deleted: the model registry refuses it (410), and the artifact the job had
 * just stored is deleted again, so nothing of the dataset outlives it in the blob store.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {ServiceTestClient.SECRET_PROPERTY, "braid.training.worker.enabled=false"})
class PublishModelTests {

    @TempDir
    static Path blobs;

    /** The inference service after the dataset's deletion: every registration is 410. */
    static final StubHttpServer inference = StubHttpServer.start().on("/", exchange -> StubHttpServer.respond(exchange, 410,
            "application/problem+json", "{\"type\":\"https://braid.dev/problems/dataset-deleted\",\"status\":410}"));

    @Autowired
    PublishModel publish;

    @Autowired
    BlobStore store;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("braid.platform.blob-root", blobs::toString);
        registry.add("braid.training.services.privacy", () -> FakePrivacyService.shared().url());
        registry.add("braid.training.services.inference", inference::url);
    }

    @AfterAll
    static void stop() {
        inference.close();
    }

    @Test
    void shouldDeleteTheArtifactItStoredWhenItsDatasetIsGoneAtRegistration() throws Exception {
        UUID dataset = UUID.randomUUID();
        FakePrivacyService.shared().dataKey("acme", dataset.toString());
        TrainingJob job = new TrainingJob(UUID.randomUUID(), "acme", dataset, JobStatus.RUNNING, 1, 8, null, 7, 0, 0, 0, null, null,
                null, 1, 3, false, Instant.now(), Instant.now(), null, null, null, true, false, null, null);
        TrainingResult result = new TrainingResult(new ModelArtifact(List.of("a", "b"), 0.5, 1, 1, null, null, "all-MiniLM-L6-v2"),
                null, null, null, 0.5, null, null);
        LoadExamples.Loaded data = new LoadExamples.Loaded(new DatasetSummary(dataset, List.of("a", "b"), false, 10, 2), List.of());

        CallerContext.runAs(new Caller("acme", Role.MEMBER, "test", null, Instant.now().plusSeconds(60)),
                () -> assertThatThrownBy(() -> publish.publish(job, data, result, null)).isInstanceOf(DatasetDeleted.class));

        UUID model = UUID.nameUUIDFromBytes(("braid-model:" + job.id()).getBytes(StandardCharsets.UTF_8));
        assertThat(store.exists(ModelArtifacts.key("acme", model))).as("the artifact is gone with its dataset").isFalse();
        try (var files = Files.walk(blobs)) {
            assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
        }
    }
}
