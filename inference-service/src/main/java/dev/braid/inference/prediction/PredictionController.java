package dev.braid.inference.prediction;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.braid.common.openapi.Problems;
import dev.braid.common.problem.ApiException;
import dev.braid.inference.InferenceProperties;
import dev.braid.model.Prediction;

@RestController
@RequestMapping("/api/v1/predictions")
@Tag(name = "Predictions", description = "Fused predictions from a model or a dataset's deployed model")
class PredictionController {

    private final PredictionService predictions;
    private final InferenceProperties properties;

    PredictionController(PredictionService predictions, InferenceProperties properties) {
        this.predictions = predictions;
        this.properties = properties;
    }

    @Schema(description = "One of modelId and datasetId (its deployed model); at least one of text and imageBase64")
    record PredictionRequest(UUID modelId, UUID datasetId, String text,
            @Schema(format = "byte", description = "A PNG or JPEG") String imageBase64) {
    }

    @Schema(name = "PredictionInput")
    record BatchInput(String text, @Schema(format = "byte", description = "A PNG or JPEG") String imageBase64) {
    }

    @Schema(name = "BatchPredictionRequest")
    record BatchRequest(UUID modelId, UUID datasetId, @NotNull @NotEmpty List<@NotNull BatchInput> inputs) {
    }

    @Schema(name = "ModalityPrediction", description = "One branch's own prediction")
    record Modality(String label, Map<String, Double> probabilities) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "PredictionModalities", description = "Each branch's prediction; a modality the input lacks is absent")
    record Modalities(Modality text, Modality image) {
    }

    @Schema(name = "Prediction")
    record PredictionResponse(UUID modelId, String label, Map<String, Double> probabilities, Modalities modalities,
            double alpha) {
    }

    @Schema(name = "BatchPredictionResponse")
    record BatchResponse(List<PredictionResponse> results) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "predict", summary = "Classify one input: the fused label and probabilities, and each modality's own")
    @Problems({404, 413, 422})
    PredictionResponse predict(@RequestBody PredictionRequest request) {
        PredictionService.Result result = predictions.predict(request.modelId(), request.datasetId(),
                List.of(new PredictionService.Input(request.text(), request.imageBase64())));
        return response(result.modelId(), result.predictions().get(0));
    }

    /**
     * The same prediction with the image as bytes, not base64: a form a browser or {@code curl -F} sends as it is. It
     * spares the client the encoding, and the request a third of its size.
     */
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(operationId = "predictForm", summary = "Classify one input sent as a form, the image as a binary part")
    @Problems({404, 413, 422})
    PredictionResponse predictForm(
            @Parameter(description = "The model; or give datasetId") @RequestPart(required = false) String modelId,
            @Parameter(description = "The dataset whose deployed model predicts") @RequestPart(required = false) String datasetId,
            @RequestPart(required = false) String text,
            @Parameter(description = "A PNG or JPEG, as bytes") @RequestPart(required = false) MultipartFile image)
            throws IOException {
        byte[] bytes = image == null || image.isEmpty() ? null : image.getBytes();
        PredictionService.Result result = predictions.predict(uuid("modelId", modelId), uuid("datasetId", datasetId),
                List.of(PredictionService.Input.binary(text, bytes)));
        return response(result.modelId(), result.predictions().get(0));
    }

    /** A form field that names a model or dataset: absent, or a UUID (400 otherwise). */
    private static UUID uuid(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        }
        catch (IllegalArgumentException ex) {
            throw ApiException.badRequest("invalid-field", field + " is not a UUID");
        }
    }

    @PostMapping("/batch")
    @Operation(operationId = "predictBatch", summary = "Classify several inputs with one model, answers in the inputs' order")
    @Problems({404, 413, 422})
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
