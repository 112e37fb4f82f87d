package dev.braid.inference.serving;

import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.braid.common.blob.BlobStore;
import dev.braid.common.crypto.DataKeys;
import dev.braid.common.problem.ApiException;
import dev.braid.common.web.ServiceClients;
import dev.braid.inference.InferenceProperties;
import dev.braid.model.FusedClassifier;
import dev.braid.model.ModelArtifact;

/**
 * Models loaded from the blob store, where they lie sealed under their dataset's data key (opened
 * in memory with the key the privacy service unwraps for this load; a dataset deleted since then
 * means its models can no longer be loaded). At most {@code max-loaded-models} at once (least recently
 * used unloaded first). An unloaded model is closed only after a grace period, so predictions
 * already running on it finish.
 */
@Service
public class LoadedModels {

    private static final Logger log = LoggerFactory.getLogger(LoadedModels.class);

    private final BlobStore blobs;
    private final DataKeys keys;
    private final InferenceProperties properties;
    private final Cache<UUID, FusedClassifier> loaded;

    LoadedModels(BlobStore blobs, ServiceClients clients, InferenceProperties properties) {
        this.blobs = blobs;
        this.keys = new DataKeys(clients.forBaseUrl(properties.privacyUrl()));
        this.properties = properties;
        this.loaded = Caffeine.newBuilder()
                .maximumSize(properties.maxLoadedModels())
                .removalListener((UUID id, FusedClassifier classifier, RemovalCause cause) -> closeLater(id, classifier))
                .build();
    }

    /** The loaded model, loading it on first use; fails with a problem when the artifact cannot be read. */
    public FusedClassifier get(UUID modelId, UUID datasetId, String artifactKey) {
        return loaded.get(modelId, id -> load(id, datasetId, artifactKey));
    }

    private FusedClassifier load(UUID id, UUID datasetId, String artifactKey) {
        long start = System.nanoTime();
        try (InputStream in = blobs.open(artifactKey)) {
            byte[] artifact = keys.open(datasetId, "model/" + id, in.readAllBytes());
            FusedClassifier classifier = FusedClassifier.load(ModelArtifact.fromBytes(artifact));
            log.info("Loaded model {} in {} ms", id, (System.nanoTime() - start) / 1_000_000);
            return classifier;
        }
        catch (ApiException ex) {
            throw ex;
        }
        catch (IOException | RuntimeException ex) {
            log.warn("Model {} could not be loaded: {}", id, ex.toString());
            throw ApiException.unprocessable("model-load-failed", "Model " + id + " could not be loaded: "
                    + (ex instanceof IOException ? ex.getMessage() : "its artifact is unreadable"));
        }
    }

    private void closeLater(UUID id, FusedClassifier classifier) {
        if (classifier == null) {
            return;
        }
        CompletableFuture.delayedExecutor(properties.unloadGrace().toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> {
                    classifier.close();
                    log.info("Unloaded model {}", id);
                });
    }
}
