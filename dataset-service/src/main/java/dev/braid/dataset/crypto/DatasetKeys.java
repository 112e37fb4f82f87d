package dev.braid.dataset.crypto;

import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.braid.dataset.privacy.PrivacyClient;

/** Opens a dataset's {@link RecordCipher} with its data key, fetched from the privacy service for this use only. */
@Component
public class DatasetKeys {

    private final PrivacyClient privacy;

    DatasetKeys(PrivacyClient privacy) {
        this.privacy = privacy;
    }

    public RecordCipher open(UUID datasetId) {
        return RecordCipher.open(datasetId, privacy.dataKey(datasetId));
    }
}
