package dev.braid.inference;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Serving settings ({@code braid.inference.*}).
 *
 * @param modelMemory how much memory loaded models may take together (weighed by their parameters); the least
 *        recently used is unloaded when a load would pass it
 * @param unloadGrace how long an unloaded model stays open so predictions already running on it finish
 * @param maxImageSize the largest image a prediction may carry
 * @param maxImagePixels the largest width × height an image may declare
 * @param maxRequestPixels the most pixels the images of one request may declare together (checked on their
 *        headers before any is decoded), so a batch of large images cannot take the heap
 * @param maxPixelsInFlight the most pixels all requests may hold decoded at once (a decoded pixel takes up to
 *        8 bytes: 48 M pixels are at most 384 MB); a request that finds no room within a second gets 503
 * @param maxTextLength the longest text a prediction may carry, in characters, as at ingestion (413 above)
 * @param maxBatchInputs the most inputs one batch request may carry
 * @param privacyUrl the privacy service, which unwraps the data keys model artifacts are sealed with
 * @param batching how predictions are gathered into batches per model
 * @param routeCache how long this instance trusts its cached answer to "which model serves this dataset"; a
 *        deploy on this instance takes effect at once, one on another instance within this time
 */
@Validated
@ConfigurationProperties("braid.inference")
public record InferenceProperties(
        @DefaultValue("1GB") DataSize modelMemory,
        @DefaultValue("30s") Duration unloadGrace,
        @DefaultValue("10MB") DataSize maxImageSize,
        @DefaultValue("16777216") @Min(1) long maxImagePixels,
        @DefaultValue("33554432") @Min(1) long maxRequestPixels,
        @DefaultValue("50331648") @Min(1) long maxPixelsInFlight,
        @DefaultValue("20000") @Min(1) int maxTextLength,
        @DefaultValue("256") @Min(1) int maxBatchInputs,
        @DefaultValue("http://localhost:8084") @jakarta.validation.constraints.NotBlank String privacyUrl,
        @DefaultValue @jakarta.validation.Valid Batching batching,
        @DefaultValue("1s") Duration routeCache) {

    /**
     * @param maxBatch the most inputs one pass through the model takes (1 turns batching off)
     * @param maxDelay how long the oldest queued input may wait for others to join its batch
     * @param queueCapacity inputs a model's queue holds; beyond it requests get 429
     */
    public record Batching(@DefaultValue("32") @Min(1) int maxBatch, @DefaultValue("5ms") Duration maxDelay,
            @DefaultValue("512") @Min(1) int queueCapacity) {
    }
}
