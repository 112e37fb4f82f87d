package dev.braid.dataset.ingest;

import java.io.IOException;

import org.springframework.stereotype.Component;

import dev.braid.dataset.DatasetProperties;
import dev.braid.dataset.catalog.Dataset;
import dev.braid.dataset.crypto.DatasetKeys;

/** Runs an upload in its {@link IngestSession}, with the dataset's data key fetched for this upload only. */
@Component
class IngestSessions {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IngestSessions.class);

    private final DatasetKeys keys;
    private final RecordWriter writer;
    private final DatasetProperties properties;

    IngestSessions(DatasetKeys keys, RecordWriter writer, DatasetProperties properties) {
        this.keys = keys;
        this.writer = writer;
        this.properties = properties;
    }

    /** What an upload does with its session; it may fail in any way. */
    interface Work {
        IngestReport run(IngestSession session) throws IOException;
    }

    /**
     * Runs one upload as a unit: it becomes part of the dataset only when the work returns. Any
     * failure, whatever it is (a refused body, a client that went away, the database or the
     * privacy service failing), takes back everything the upload wrote before it is rethrown;
     * where even that fails, the upload stays invisible and the abandoned-upload sweep removes it.
     */
    IngestReport run(Dataset dataset, Work work) throws IOException {
        try (IngestSession session = new IngestSession(dataset, keys.open(dataset.id()), writer, properties.batchSize(),
                properties.batchBytes().toBytes(), properties.maxReportedRejections())) {
            writer.begin(dataset.id(), session.uploadId());
            try {
                return work.run(session);
            }
            catch (IOException | RuntimeException | Error ex) {
                try {
                    session.rollback();
                }
                catch (RuntimeException rollbackFailed) {
                    ex.addSuppressed(rollbackFailed);
                    log.warn("Upload {} could not be taken back now; it stays invisible and is swept later: {}",
                            session.uploadId(), rollbackFailed.toString());
                }
                throw ex;
            }
        }
    }
}
