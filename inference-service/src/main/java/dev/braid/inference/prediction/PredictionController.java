package dev.braid.inference.prediction;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.braid.common.problem.ApiException;
import dev.braid.inference.InferenceProperties;
import dev.braid.model.Prediction;

@RestController
@RequestMapping("/api/v1/predictions")
class PredictionController {

    private final PredictionService predictions;
    private final InferenceProperties properties;

    PredictionController(PredictionService predictions, InferenceProperties properties) {
        this.predictions = predictions;
        this.properties = properties;
    }

    record PredictionRequest(UUID modelId, UUID datasetId, String text, String imageBase64) {
    }

    record BatchInput(String text, String imageBase64) {
    }

    record BatchRequest(UUID modelId, UUID datasetId, @NotNull @NotEmpty List<@NotNull BatchInput> inputs) {
    }

    record Modality(String label, Map<String, Double> probabilities) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Modalities(Modality text, Modality image) {
    }

    record PredictionResponse(UUID modelId, String label, Map<String, Double> probabilities, Modalities modalities,
            double alpha) {
    }

    record BatchResponse(List<PredictionResponse> results) {
    }

    @PostMapping
    PredictionResponse predict(@RequestBody PredictionRequest request) {
        PredictionService.Result result = predictions.predict(request.modelId(), request.datasetId(),
                List.of(new PredictionService.Input(request.text(), request.imageBase64())));
        return response(result.modelId(), result.predictions().get(0));
    }

    @PostMapping("/batch")
    BatchResponse predictBatch(@Valid @RequestBody BatchRequest request) {
        if (request.inputs().size() > properties.maxBatchInputs()) {
            throw ApiException.unprocessable("batch-too-large",
                    "A batch may carry at most " + properties.maxBatchInputs() + " inputs");
        }
        PredictionService.Result result = predictions.predict(request.modelId(), request.datasetId(),
                request.inputs().stream().map(i -> new PredictionService.Input(i.text(), i.imageBase64())).toList());
        return new BatchResponse(result.predictions().stream().map(p -> response(result.modelId(), p)).toList());
    }

    private static PredictionResponse response(UUID modelId, Prediction p) {
        return new PredictionResponse(modelId, p.label(), p.probabilities(),
                new Modalities(modality(p.text()), modality(p.image())), p.alpha());
    }

    private static Modality modality(Prediction.Part part) {
        return part == null ? null : new Modality(part.label(), part.probabilities());
    }
}
