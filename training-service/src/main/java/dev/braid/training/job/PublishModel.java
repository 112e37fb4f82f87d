package dev.braid.training.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.braid.common.blob.BlobStore;
import dev.braid.common.internalapi.ModelArtifacts;
import dev.braid.common.report.JobMetrics;
import dev.braid.model.TrainingResult;
import dev.braid.training.remote.DatasetDeleted;
import dev.braid.training.remote.InferenceClient;
import dev.braid.training.remote.PrivacyClient;

/**
 * The pipeline's last stage: the artifact sealed under the dataset's key where {@link ModelArtifacts} puts it, then
 * the model registered with inference. The model id is derived from the job id, so a job re-run after a crash writes
 * the same artifact and registers the same, single version.
 */
@Component
class PublishModel {

    private final BlobStore blobs;
    private final PrivacyClient privacy;
    private final InferenceClient inference;

    PublishModel(BlobStore blobs, PrivacyClient privacy, InferenceClient inference) {
        this.blobs = blobs;
        this.privacy = privacy;
        this.inference = inference;
    }

    /**
     * Returns the registered model's id. A dataset deleted while the job ran refuses the registration
     * ({@link DatasetDeleted}): the artifact just stored is deleted again before the job fails, so nothing of the
     * dataset outlives it in the blob store.
     */
    UUID publish(TrainingJob job, LoadExamples.Loaded data, TrainingResult result, JobMetrics metrics) throws IOException {
        UUID modelId = UUID.nameUUIDFromBytes(("braid-model:" + job.id()).getBytes(StandardCharsets.UTF_8));
        String key = ModelArtifacts.key(job.tenant(), modelId);
        blobs.put(key, privacy.keys().seal(job.datasetId(), ModelArtifacts.sealingContext(modelId), result.artifact().toBytes()));
        try {
            return inference.registerModel(modelId, job.datasetId(), job.id(), data.dataset().labels(), metrics, key);
        }
        catch (DatasetDeleted ex) {
            blobs.delete(key);
            throw ex;
        }
    }
}
