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
 * (a zip bomb, a body cut short, no manifest) takes back every batch it had already written, and
 * the staged images of the upload are always cleared.
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

    ArchiveUploads(IngestSessions sessions, NdjsonIngester jsonLines, RecordValidator validator, StagedImages staged,
            DatasetProperties properties) {
        this.sessions = sessions;
        this.jsonLines = jsonLines;
        this.validator = validator;
        this.staged = staged;
        this.properties = properties;
    }

    IngestReport ingest(Dataset dataset, String kind, Source source) throws IOException {
        try (IngestSession session = sessions.open(dataset)) {
            ArchiveUpload upload = new ArchiveUpload(session, jsonLines, validator, staged, properties);
            try {
                source.read(upload);
                return upload.finish();
            }
            catch (ApiException ex) {
                session.rollback();
                throw ex;
            }
            catch (ZipException | EOFException | MalformedUpload ex) {
                session.rollback();
                throw ApiException.badRequest("corrupt-upload", "The " + kind + " is corrupt or cut short"
                        + (upload.entries() == 0 ? "" : " after " + upload.entries() + " files") + "; nothing from it was kept");
            }
            finally {
                staged.clear(session.uploadId());
            }
        }
    }

    /** The body does not follow its format. */
    static final class MalformedUpload extends IOException {

        MalformedUpload(String message) {
            super(message);
        }
    }
}
