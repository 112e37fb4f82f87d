package dev.braid.inference.registry;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@Validated
@RestController
@RequestMapping("/api/v1/models")
class ModelController {

    private final ModelRegistry registry;

    ModelController(ModelRegistry registry) {
        this.registry = registry;
    }

    record ModelResponse(UUID id, UUID datasetId, UUID jobId, List<String> labels, JsonNode metrics, Instant createdAt,
            boolean deployed) {

        static ModelResponse of(ModelVersion m) {
            return new ModelResponse(m.id(), m.datasetId(), m.jobId(), m.labels(), m.metrics(), m.createdAt(), m.deployed());
        }
    }

    record ModelPage(List<ModelResponse> items, int page, int size, long total) {
    }

    @GetMapping
    ModelPage list(@RequestParam(required = false) UUID datasetId, @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        return new ModelPage(registry.list(datasetId, page, size).stream().map(ModelResponse::of).toList(), page, size,
                registry.count(datasetId));
    }

    @GetMapping("/{id}")
    ModelResponse get(@PathVariable UUID id) {
        return ModelResponse.of(registry.get(id));
    }

    @PostMapping("/{id}/deploy")
    ModelResponse deploy(@PathVariable UUID id) {
        return ModelResponse.of(registry.deploy(id));
    }
}
