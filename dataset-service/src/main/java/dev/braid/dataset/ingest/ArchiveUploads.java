package dev.braid.dataset.ingest;

import java.io.EOFException;
import java.io.IOException;
import java.util.zip.ZipException;

import org.springframework.stereotype.Component;

import dev.braid.common.problem.ApiException;
import dev.braid.dataset.DatasetProperties;
import dev.braid.dataset.catalog.Dataset;

/**
 * Runs an upload of a manifest plus files (ZIP or multipart) as one unit: a body that is refused
 * (a zip bomb, a body cut short, no manifest) or fails in any other way takes back every batch it
 * had already written, its staged images included.
 */
@Component
class ArchiveUploads {

    /** Feeds the upload's files to it, one after another. */
    interface Source {
        void read(ArchiveUpload upload) throws IOException;
    }

    private final IngestSessions sessions;
    private final NdjsonIngester jsonLines;
    private final RecordValidator validator;
    private final StagedImages staged;
    private final DatasetProperties properties;
    private final UploadMemory memory;

    ArchiveUploads(IngestSessions sessions, NdjsonIngester jsonLines, RecordValidator validator, StagedImages staged,
            DatasetProperties properties, UploadMemory memory) {
        this.sessions = sessions;
        this.jsonLines = jsonLines;
        this.validator = validator;
        this.staged = staged;
        this.properties = properties;
        this.memory = memory;
    }

    IngestReport ingest(Dataset dataset, String kind, Source source) throws IOException {
        return sessions.run(dataset, session -> {
            try (UploadMemory.Lease lease = memory.lease()) {
                return ingest(kind, source, new ArchiveUpload(session, jsonLines, validator, staged, properties, lease));
            }
        });
    }

    private static IngestReport ingest(String kind, Source source, ArchiveUpload upload) throws IOException {
        try {
            source.read(upload);
            return upload.finish();
        }
        catch (ZipException | EOFException | MalformedUpload ex) {
            throw ApiException.badRequest("corrupt-upload", "The " + kind + " is corrupt or cut short"
                    + (upload.entries() == 0 ? "" : " after " + upload.entries() + " files")
                    + (ex instanceof MalformedUpload ? " (" + ex.getMessage() + ")" : "") + "; nothing from it was kept");
        }
    }

    /** The body does not follow its format. */
    static final class MalformedUpload extends IOException {

        MalformedUpload(String message) {
            super(message);
        }
    }
}
