package dev.braid.common.report;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What the trainer chose and the curve it chose from: the epochs it ran, its batch size, each
 * branch's learning rate and kept epoch (absent for a branch the model does not have), the text
 * encoder's fine-tuning (absent when frozen), the frozen text head's refit (absent when not refit)
 * and the class weights (absent when the classes were not balanced).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainingChoices(int epochs, int batchSize, Double textLearningRate, Double imageLearningRate,
        @Schema(description = "The epoch whose text weights are kept") Integer textEpoch,
        @Schema(description = "The epoch whose image weights are kept") Integer imageEpoch, FineTuning fineTuning,
        TextRefit textRefit, @Schema(description = "Each label's loss weight n / (k · n_c)") Map<String, Double> classWeights,
        List<EpochPoint> curve) {

    /** LoRA adapters of {@code rank} on the text encoder's top {@code layers} layers, trained at {@code learningRate}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FineTuning(int layers, int rank, double learningRate) {
    }

    /** The frozen text head fit again from its start for {@code epochs} on {@code records} train and validation records. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TextRefit(int epochs, long records) {
    }

    /** One epoch: its mean training loss and validation scores. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EpochPoint(int epoch, double trainLoss, double validationAccuracy, Double textValidationLoss,
            Double imageValidationLoss) {
    }
}
