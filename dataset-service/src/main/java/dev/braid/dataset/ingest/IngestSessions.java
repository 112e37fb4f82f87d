package dev.braid.dataset.ingest;

import org.springframework.stereotype.Component;

import dev.braid.dataset.DatasetProperties;
import dev.braid.dataset.catalog.Dataset;
import dev.braid.dataset.crypto.DatasetKeys;

/** Opens an upload's {@link IngestSession}, with the dataset's data key fetched for this upload only. */
@Component
class IngestSessions {

    private final DatasetKeys keys;
    private final RecordWriter writer;
    private final DatasetProperties properties;

    IngestSessions(DatasetKeys keys, RecordWriter writer, DatasetProperties properties) {
        this.keys = keys;
        this.writer = writer;
        this.properties = properties;
    }

    IngestSession open(Dataset dataset) {
        return new IngestSession(dataset, keys.open(dataset.id()), writer, properties.batchSize(),
                properties.batchBytes().toBytes());
    }
}
