package dev.braid.dataset.ingest;

import java.io.IOException;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Encoding;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.braid.common.openapi.Problems;
import dev.braid.common.problem.ApiException;
import dev.braid.dataset.catalog.Dataset;
import dev.braid.dataset.catalog.DatasetService;

/**
 * The record upload. Its three media types are three handlers on one path, each reading the raw
 * stream; the document shows them as one operation with three request bodies.
 */
@RestController
@Tag(name = "Datasets")
class RecordIngestController {

    private final DatasetService datasets;
    private final NdjsonIngester ndjson;
    private final ZipIngester zip;
    private final MultipartIngester multipart;
    private final IngestMetrics metrics;

    RecordIngestController(DatasetService datasets, NdjsonIngester ndjson, ZipIngester zip, MultipartIngester multipart,
            IngestMetrics metrics) {
        this.datasets = datasets;
        this.ndjson = ndjson;
        this.zip = zip;
        this.multipart = multipart;
        this.metrics = metrics;
    }

    /**
     * One record, as a line of the NDJSON body or of a ZIP's or multipart's manifest. The body is
     * read as a stream, so no operation names this type; it is in the document for clients to
     * build their lines with ({@link RecordLineSchema}).
     */
    @Schema(name = "RecordLine", description = "One record. At least one of text and image; label must be one of the dataset's")
    record RecordLine(@Schema(description = "Your id for the record; reported back with a rejection") String id, String text,
            @Schema(description = "ZIP and multipart: the path of the image in the archive or the part's name") String image,
            @Schema(description = "NDJSON: the PNG or JPEG itself", format = "byte") String imageBase64,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String label) {
    }

    @PostMapping(path = "/api/v1/datasets/{id}/records", consumes = "application/x-ndjson")
    @Operation(operationId = "uploadRecords", summary = "Add records to a dataset",
            description = "Each record is validated on its own: good ones are stored (encrypted, de-duplicated by content), bad ones "
                    + "are reported with their line and reason. A body that cannot be read at all stores nothing.",
            requestBody = @RequestBody(required = true, content = {
                    @Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string", format = "binary",
                            description = "One RecordLine per line, images inline as imageBase64")),
                    @Content(mediaType = "application/zip", schema = @Schema(type = "string", format = "binary",
                            description = "manifest.jsonl at the root (one RecordLine per line) and the image files it names")),
                    @Content(mediaType = "multipart/form-data", schema = @Schema(type = "object", requiredProperties = "manifest",
                            description = "The part manifest (one RecordLine per line), and one part per image named by the "
                                    + "path the manifest gives it"),
                            schemaProperties = @SchemaProperty(name = "manifest", schema = @Schema(type = "string", format = "binary")),
                            encoding = @Encoding(name = "manifest", contentType = "application/x-ndjson"))}))
    @Problems({404, 413, 415})
    IngestReport ingestNdjson(@PathVariable UUID id, HttpServletRequest request) throws IOException {
        Dataset dataset = datasets.get(id);
        return metrics.measure("ndjson", () -> ndjson.ingest(dataset, request.getInputStream()));
    }

    @PostMapping(path = "/api/v1/datasets/{id}/records", consumes = {"application/zip", "application/x-zip-compressed"})
    @Hidden
    IngestReport ingestZip(@PathVariable UUID id, HttpServletRequest request) throws IOException {
        Dataset dataset = datasets.get(id);
        return metrics.measure("zip", () -> zip.ingest(dataset, request.getInputStream()));
    }

    /** Parsed by {@link MultipartReader}, not the servlet container, which would spool images to disk. */
    @PostMapping(path = "/api/v1/datasets/{id}/records", consumes = "multipart/form-data")
    @Hidden
    IngestReport ingestMultipart(@PathVariable UUID id, HttpServletRequest request) throws IOException {
        Dataset dataset = datasets.get(id);
        return metrics.measure("multipart", () -> multipart.ingest(dataset, request.getContentType(), request.getInputStream()));
    }

    @PostMapping(path = "/api/v1/datasets/{id}/records")
    @Hidden
    IngestReport unsupported(@PathVariable UUID id, HttpServletRequest request) {
        datasets.get(id);
        throw ApiException.unsupportedMediaType(
                "Records are accepted as application/x-ndjson, application/zip or multipart/form-data; got " + request.getContentType());
    }
}
