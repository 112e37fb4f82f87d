package dev.braid.dataset.ingest;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.stereotype.Service;

import dev.braid.common.problem.ApiException;
import dev.braid.dataset.catalog.Dataset;

/**
 * Streams a {@code multipart/form-data} upload into an {@link ArchiveUpload}: the part named
 * {@code manifest} is the manifest (JSON Lines, or CSV when its file name ends in {@code .csv}),
 * every other part an image named by its path (the part's name, or its file name).
 */
@Service
class MultipartIngester {

    private final int maxParts;

    private final ArchiveUploads uploads;

    MultipartIngester(ArchiveUploads uploads, dev.braid.dataset.DatasetProperties properties) {
        this.maxParts = properties.archive().maxEntries();
        this.uploads = uploads;
    }

    IngestReport ingest(Dataset dataset, String contentType, InputStream body) throws IOException {
        String boundary = MultipartReader.boundary(contentType);
        if (boundary == null) {
            throw ApiException.badRequest("malformed-multipart", "The multipart content type has no usable boundary");
        }
        return uploads.ingest(dataset, "multipart body", upload -> {
            MultipartReader reader = new MultipartReader(body, boundary);
            long parts = 0;
            for (MultipartReader.Part part; (part = reader.next()) != null;) {
                if (++parts > maxParts) {
                    throw ArchiveGuard.tooLarge("the multipart body has more than " + maxParts + " parts");
                }
                upload.file(fileName(part), part.body());
            }
        });
    }

    private static String fileName(MultipartReader.Part part) throws ArchiveUploads.MalformedUpload {
        if ("manifest".equals(part.name())) {
            return part.filename() != null && part.filename().toLowerCase(java.util.Locale.ROOT).endsWith(".csv")
                    ? "manifest.csv" : "manifest.jsonl";
        }
        String name = part.name() != null && !part.name().isEmpty() ? part.name() : part.filename();
        if (name == null || name.isEmpty()) {
            throw new ArchiveUploads.MalformedUpload("a part has no name");
        }
        return name;
    }
}
