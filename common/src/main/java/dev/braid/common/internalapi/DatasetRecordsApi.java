package dev.braid.common.internalapi;

import java.util.List;
import java.util.UUID;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.service.annotation.GetExchange;

/**
 * The dataset service, as training reads a dataset: what it is, then its records. The records come as an NDJSON
 * stream of {@link ExportedRecord} lines at {@link #RECORDS}, read line by line, which an interface method returning
 * a value would have to hold whole; the path and the line's type are still this one definition.
 */
public interface DatasetRecordsApi {

    /** The NDJSON stream of a dataset's records, decrypted, one {@link ExportedRecord} per line. */
    String RECORDS = "/internal/datasets/{datasetId}/records";

    /** The caller's dataset, or 404. */
    @GetExchange("/internal/datasets/{datasetId}")
    DatasetSummary dataset(@PathVariable UUID datasetId);

    /** A dataset as training needs it: its labels, whether it has a privacy budget, how many records train on. */
    record DatasetSummary(UUID id, List<String> labels, boolean requiresPrivacy, long trainRecords, long validationRecords) {
    }

    /**
     * One record of the stream: its id here and the uploader's, its label and split, its text and its image (PNG or
     * JPEG, base64); text or image may be absent.
     */
    record ExportedRecord(UUID id, String externalId, String label, String text, String imageBase64, String split) {
    }
}
