package dev.braid.dataset.ingest;

import java.io.IOException;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.braid.common.problem.ApiException;
import dev.braid.dataset.catalog.Dataset;
import dev.braid.dataset.catalog.DatasetService;

@RestController
class RecordIngestController {

    private final DatasetService datasets;
    private final NdjsonIngester ndjson;
    private final ZipIngester zip;
    private final MultipartIngester multipart;

    RecordIngestController(DatasetService datasets, NdjsonIngester ndjson, ZipIngester zip, MultipartIngester multipart) {
        this.datasets = datasets;
        this.ndjson = ndjson;
        this.zip = zip;
        this.multipart = multipart;
    }

    @PostMapping(path = "/api/v1/datasets/{id}/records", consumes = "application/x-ndjson")
    IngestReport ingestNdjson(@PathVariable UUID id, HttpServletRequest request) throws IOException {
        Dataset dataset = datasets.get(id);
        return ndjson.ingest(dataset, request.getInputStream());
    }

    @PostMapping(path = "/api/v1/datasets/{id}/records", consumes = {"application/zip", "application/x-zip-compressed"})
    IngestReport ingestZip(@PathVariable UUID id, HttpServletRequest request) throws IOException {
        Dataset dataset = datasets.get(id);
        return zip.ingest(dataset, request.getInputStream());
    }

    /** Parsed by {@link MultipartReader}, not the servlet container, which would spool images to disk. */
    @PostMapping(path = "/api/v1/datasets/{id}/records", consumes = "multipart/form-data")
    IngestReport ingestMultipart(@PathVariable UUID id, HttpServletRequest request) throws IOException {
        Dataset dataset = datasets.get(id);
        return multipart.ingest(dataset, request.getContentType(), request.getInputStream());
    }

    @PostMapping(path = "/api/v1/datasets/{id}/records")
    IngestReport unsupported(@PathVariable UUID id, HttpServletRequest request) {
        datasets.get(id);
        throw ApiException.unsupportedMediaType(
                "Records are accepted as application/x-ndjson, application/zip or multipart/form-data; got " + request.getContentType());
    }
}
