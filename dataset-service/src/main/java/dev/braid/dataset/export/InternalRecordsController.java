package dev.braid.dataset.export;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import dev.braid.common.internalapi.DatasetRecordsApi;
import dev.braid.common.problem.ApiException;
import dev.braid.dataset.catalog.Dataset;
import dev.braid.dataset.catalog.DatasetService;
import dev.braid.dataset.crypto.DatasetKeys;
import dev.braid.dataset.crypto.RecordCipher;

/**
 * What training reads of a dataset: its summary, and its records, decoded, streamed as NDJSON, so training never
 * reads this service's tables. Internal: the gateway has no route to {@code /internal/**}; the
 * caller still needs a valid internal token for the dataset's tenant.
 */
@RestController
class InternalRecordsController implements DatasetRecordsApi {

    private static final Set<String> SPLITS = Set.of("train", "validation", "test");

    private final DatasetService datasets;
    private final DatasetKeys keys;
    private final RecordExporter exporter;

    InternalRecordsController(DatasetService datasets, DatasetKeys keys, RecordExporter exporter) {
        this.datasets = datasets;
        this.keys = keys;
        this.exporter = exporter;
    }

    @Override
    public DatasetSummary dataset(@PathVariable UUID datasetId) {
        Dataset dataset = datasets.get(datasetId);
        Map<String, Map<String, Long>> splits = datasets.splitCounts(datasetId);
        return new DatasetSummary(datasetId, dataset.labels(), dataset.privacy() != null, records(splits, "train"),
                records(splits, "validation"));
    }

    private static long records(Map<String, Map<String, Long>> splits, String split) {
        return splits.getOrDefault(split, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }

    /** The records as {@link DatasetRecordsApi.ExportedRecord} lines, streamed from a cursor (see {@link DatasetRecordsApi#RECORDS}). */
    @GetMapping(path = DatasetRecordsApi.RECORDS, produces = "application/x-ndjson")
    ResponseEntity<StreamingResponseBody> records(@PathVariable("datasetId") UUID id, @RequestParam(required = false) String split) {
        datasets.get(id);
        if (split != null && !SPLITS.contains(split)) {
            throw ApiException.badRequest("invalid-split", "split must be train, validation or test");
        }
        RecordCipher cipher = keys.open(id);
        StreamingResponseBody body = out -> {
            try (cipher) {
                exporter.write(id, split, cipher, out);
            }
        };
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/x-ndjson")).body(body);
    }
}
