package dev.braid.inference.serving;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.braid.common.blob.BlobStore;
import dev.braid.common.crypto.DataKeys;
import dev.braid.common.internalapi.DataKeysApi;
import dev.braid.common.internalapi.ModelArtifacts;
import dev.braid.common.problem.ApiException;
import dev.braid.inference.InferenceProperties;
import dev.braid.model.FusedClassifier;
import dev.braid.model.ModelArtifact;

/**
 * Models loaded from the blob store and warmed up, each behind its own batching queue, where they lie sealed under their dataset's data key (opened
 * in memory with the key the privacy service unwraps for this load; a dataset deleted since then
 * means its models can no longer be loaded). Several models are served at once within a memory
 * budget ({@code model-memory}, models weighed by their parameters; least recently used unloaded
 * first). An unloaded model keeps serving for a grace period, then stops taking inputs, serves
 * what it queued and is closed, so predictions already on their way to it finish.
 */
@Service
public class LoadedModels {

    private static final Logger log = LoggerFactory.getLogger(LoadedModels.class);
    private static final long WEIGHT_OVERHEAD = 1024 * 1024;

    private final BlobStore blobs;
    private final DataKeys keys;
    private final InferenceProperties properties;
    private final MeterRegistry meters;
    private final Cache<UUID, ModelServer> loaded;

    LoadedModels(BlobStore blobs, DataKeysApi dataKeys, InferenceProperties properties, MeterRegistry meters) {
        this.meters = meters;
        this.blobs = blobs;
        this.keys = new DataKeys(dataKeys);
        this.properties = properties;
        this.loaded = Caffeine.newBuilder()
                .maximumWeight(properties.modelMemory().toBytes())
                .weigher((UUID id, ModelServer server) -> (int) Math.min(Integer.MAX_VALUE, server.weight()))
                .removalListener((UUID id, ModelServer server, RemovalCause cause) -> closeLater(id, server))
                .build();
        Gauge.builder("braid.inference.models.loaded", loaded, c -> c.estimatedSize()).register(meters);
    }

    /** The loaded, warmed-up model, loading it on first use; fails with a problem when the artifact cannot be read. */
    public ModelServer get(UUID modelId, UUID datasetId, String artifactKey) {
        return loaded.get(modelId, id -> load(id, datasetId, artifactKey));
    }

    /** Takes the model out of service: no new predictions reach it; those it queued finish within the grace period. */
    public void unload(UUID modelId) {
        loaded.invalidate(modelId);
    }

    /** The models loaded on this instance now. */
    public java.util.Set<UUID> loadedIds() {
        return java.util.Set.copyOf(loaded.asMap().keySet());
    }

    private ModelServer load(UUID id, UUID datasetId, String artifactKey) {
        long start = System.nanoTime();
        try (InputStream in = blobs.open(artifactKey)) {
            byte[] artifact = keys.open(datasetId, ModelArtifacts.sealingContext(id), in.readAllBytes());
            FusedClassifier classifier = FusedClassifier.load(ModelArtifact.fromBytes(artifact));
            try {
                warmUp(classifier);
            }
            catch (RuntimeException ex) {
                classifier.close();
                throw ex;
            }
            log.info("Loaded and warmed up model {} in {} ms", id, (System.nanoTime() - start) / 1_000_000);
            // parameters as floats, about the artifact's size, twice over for the engine's copies, plus fixed overhead
            return new ModelServer(id, classifier, 2L * artifact.length + WEIGHT_OVERHEAD, properties.batching(), meters);
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

    /** One pass per modality the model has, so the first real request does not pay for lazy initialisation. */
    private static void warmUp(FusedClassifier classifier) {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        classifier.predict(List.of(new FusedClassifier.Input(classifier.hasText() ? "warm up" : null,
                classifier.hasImage() ? image : null)));
    }

    private void closeLater(UUID id, ModelServer server) {
        if (server == null) {
            return;
        }
        CompletableFuture.delayedExecutor(properties.unloadGrace().toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> {
                    try {
                        server.shutdown(Duration.ofMinutes(1));
                        log.info("Unloaded model {}", id);
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                });
    }
}
