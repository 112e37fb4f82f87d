package dev.braid.inference.registry;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.data.domain.Page;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.braid.common.openapi.Problems;
import dev.braid.common.report.JobMetrics;

@Validated
@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "Models", description = "Model versions trained from datasets, and which one each dataset serves")
class ModelController {

    private final ModelRegistry registry;

    ModelController(ModelRegistry registry) {
        this.registry = registry;
    }

    @Schema(name = "Model")
    record ModelResponse(UUID id, UUID datasetId, UUID jobId, List<String> labels,
            @Schema(description = "The training job's metrics on the test split") JobMetrics metrics, Instant createdAt,
            @Schema(description = "Whether the dataset's predictions use this model") boolean deployed) {

        static ModelResponse of(ModelVersion m) {
            return new ModelResponse(m.id(), m.datasetId(), m.jobId(), m.labels(), m.metrics(), m.createdAt(), m.deployed());
        }
    }

    @Schema(name = "ModelPage")
    record ModelPage(List<ModelResponse> items, int page, int size, long total) {
    }

    @GetMapping
    @Operation(operationId = "listModels", summary = "The tenant's model versions, oldest first, optionally of one dataset")
    ModelPage list(@RequestParam(required = false) UUID datasetId, @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        Page<ModelVersion> found = registry.list(datasetId, page, size);
        return new ModelPage(found.map(ModelResponse::of).toList(), page, size, found.getTotalElements());
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getModel", summary = "A model version with its lineage and metrics")
    @Problems(404)
    ModelResponse get(@PathVariable UUID id) {
        return ModelResponse.of(registry.get(id));
    }

    @PostMapping("/{id}/deploy")
    @Operation(operationId = "deployModel", summary = "Serve this model for its dataset's predictions, swapped in atomically")
    @Problems(404)
    ModelResponse deploy(@PathVariable UUID id) {
        return ModelResponse.of(registry.deploy(id));
    }
}
