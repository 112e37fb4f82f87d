package dev.braid.dataset.catalog;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.data.domain.Page;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.braid.common.openapi.Problems;
import dev.braid.common.problem.ApiException;

@Validated
@RestController
@RequestMapping("/api/v1/datasets")
@Tag(name = "Datasets", description = "Labelled text + image datasets, their records and splits")
class DatasetController {

    private final DatasetService datasets;

    DatasetController(DatasetService datasets) {
        this.datasets = datasets;
    }

    @Schema(name = "DatasetPrivacy", description = "The dataset's privacy budget: every job on it must be DP and is charged to it")
    record PrivacyBudget(@NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000") Double epsilonBudget,
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "1", inclusive = false) Double delta) {
    }

    record CreateDatasetRequest(@NotBlank @Size(max = 200) String name,
            @NotEmpty @Size(max = 1000) List<@NotBlank @Size(max = 100) String> labels,
            @Valid PrivacyBudget privacy) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Dataset")
    record DatasetResponse(UUID id, String name, List<String> labels, long recordCount, PrivacyBudget privacy,
            Instant createdAt,
            @Schema(description = "Records per split (train, validation, test) and label; only on a single dataset")
            Map<String, Map<String, Long>> splits) {
    }

    record DatasetPage(List<DatasetResponse> items, int page, int size, long total) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(operationId = "createDataset", summary = "Create a dataset with its labels and, optionally, a privacy budget")
    @Problems(422)
    DatasetResponse create(@Valid @RequestBody CreateDatasetRequest request) {
        List<String> labels = request.labels().stream().map(String::strip).toList();
        if (new HashSet<>(labels).size() != labels.size()) {
            throw ApiException.unprocessable("duplicate-labels", "labels must be distinct");
        }
        Dataset.Privacy privacy = request.privacy() == null ? null
                : new Dataset.Privacy(request.privacy().epsilonBudget(), request.privacy().delta());
        return response(datasets.create(request.name().strip(), labels, privacy), 0, null);
    }

    @GetMapping
    @Operation(operationId = "listDatasets", summary = "The tenant's datasets, oldest first")
    DatasetPage list(@RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        Page<Dataset> found = datasets.list(page, size);
        Map<UUID, Long> counts = datasets.recordCounts(found.map(Dataset::id).toList());
        return new DatasetPage(found.map(d -> response(d, counts.getOrDefault(d.id(), 0L), null)).toList(), page, size,
                found.getTotalElements());
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getDataset", summary = "A dataset with its record counts per split and label")
    @Problems(404)
    DatasetResponse get(@PathVariable UUID id) {
        Dataset dataset = datasets.get(id);
        Map<String, Map<String, Long>> splits = datasets.splitCounts(id);
        long total = splits.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
        for (String split : List.of("train", "validation", "test")) {
            splits.putIfAbsent(split, Map.of());
        }
        return response(dataset, total, splits);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteDataset",
            summary = "Delete a dataset: its data key is destroyed (crypto-shredding) and its models stop serving")
    @Problems(404)
    void delete(@PathVariable UUID id) {
        datasets.delete(id);
    }

    private static DatasetResponse response(Dataset d, long records, Map<String, Map<String, Long>> splits) {
        PrivacyBudget privacy = d.privacy() == null ? null : new PrivacyBudget(d.privacy().epsilonBudget(), d.privacy().delta());
        return new DatasetResponse(d.id(), d.name(), d.labels(), records, privacy, d.createdAt(), splits);
    }
}
