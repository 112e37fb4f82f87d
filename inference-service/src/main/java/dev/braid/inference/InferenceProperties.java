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
 * @param maxLoadedModels how many models stay loaded at once; the least recently used is unloaded
 * @param unloadGrace how long an unloaded model stays open so predictions already running on it finish
 * @param maxImageSize the largest image a prediction may carry
 * @param maxImagePixels the largest width × height an image may declare
 * @param maxBatchInputs the most inputs one batch request may carry
 * @param privacyUrl the privacy service, which unwraps the data keys model artifacts are sealed with
 */
@Validated
@ConfigurationProperties("braid.inference")
public record InferenceProperties(
        @DefaultValue("16") @Min(1) int maxLoadedModels,
        @DefaultValue("30s") Duration unloadGrace,
        @DefaultValue("10MB") DataSize maxImageSize,
        @DefaultValue("16777216") @Min(1) long maxImagePixels,
        @DefaultValue("256") @Min(1) int maxBatchInputs,
        @DefaultValue("http://localhost:8084") @jakarta.validation.constraints.NotBlank String privacyUrl) {
}
