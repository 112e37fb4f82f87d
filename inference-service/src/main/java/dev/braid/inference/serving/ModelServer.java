package dev.braid.inference.serving;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.MeterRegistry;

import dev.braid.inference.InferenceProperties;
import dev.braid.inference.batching.BatchQueue;
import dev.braid.model.FusedClassifier;
import dev.braid.model.Prediction;

/** One loaded model and the batching queue in front of it. */
public final class ModelServer {

    private final UUID id;
    private final FusedClassifier classifier;
    private final BatchQueue<FusedClassifier.Input, Prediction> queue;
    private final long weight;

    ModelServer(UUID id, FusedClassifier classifier, long weight, InferenceProperties.Batching batching, MeterRegistry meters) {
        this.id = id;
        this.classifier = classifier;
        this.weight = weight;
        this.queue = new BatchQueue<>(id.toString(), classifier::predict, batching.maxBatch(), batching.maxDelay(),
                batching.queueCapacity(), meters);
    }

    public UUID id() {
        return id;
    }

    public boolean hasText() {
        return classifier.hasText();
    }

    public boolean hasImage() {
        return classifier.hasImage();
    }

    long weight() {
        return weight;
    }

    /** Queues the inputs (all or none; {@link BatchQueue.Full} when they do not fit). */
    public List<CompletableFuture<Prediction>> submit(List<FusedClassifier.Input> inputs) {
        return queue.submitAll(inputs);
    }

    /** Stops taking inputs, serves what is queued, then frees the model. */
    void shutdown(Duration drainTimeout) throws InterruptedException {
        queue.close();
        queue.awaitDrained(drainTimeout);
        classifier.close();
    }
}
