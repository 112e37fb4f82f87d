package dev.braid.dataset.ingest;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import dev.braid.dataset.crypto.RecordCipher;

/**
 * Writes sealed records in batches, one transaction per batch. Plain JDBC
 * batching rather than an ORM: this is ingestion's hot path, and {@code on conflict do nothing}
 * on the fingerprint is what makes re-uploads and concurrent uploads of the same data store it once.
 */
@Repository
class RecordWriter {

    private final JdbcTemplate jdbc;

    RecordWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Registers an upload in progress: its records stay out of the dataset until {@link #complete}. */
    void begin(UUID datasetId, UUID uploadId) {
        jdbc.update("insert into dataset.upload (id, dataset_id) values (?, ?)", uploadId, datasetId);
    }

    /**
     * Marks the upload alive; false once the sweep has marked it abandoned (or removed it), and then it must not
     * write on.
     */
    boolean touch(UUID uploadId) {
        return jdbc.update("update dataset.upload set active_at = now() where id = ? and abandoned_at is null", uploadId) == 1;
    }

    /** The upload succeeded: its records become part of the dataset, all at once. */
    @Transactional
    void complete(UUID uploadId) {
        jdbc.update("delete from dataset.staged_image where upload_id = ?", uploadId);
        if (jdbc.update("delete from dataset.upload where id = ? and abandoned_at is null", uploadId) != 1) {
            throw new UploadAbandoned();
        }
    }

    /** Whether the dataset holds any record, of any upload. */
    boolean hasRecords(UUID datasetId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from dataset.record where dataset_id = ?)",
                Boolean.class, datasetId));
    }

    /** Whether the dataset already holds a record with this fingerprint (in any upload, finished or not). */
    boolean stored(UUID datasetId, byte[] fingerprint) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from dataset.record where dataset_id = ? and fingerprint = ?)", Boolean.class,
                datasetId, fingerprint));
    }

    /**
     * Stores the batch; returns the records that were not stored because the dataset already had them. The upload
     * is marked alive in the same transaction, and an upload the sweep marked abandoned writes nothing more.
     */
    @Transactional
    List<IngestSession.SealedRecord> write(UUID datasetId, UUID uploadId, List<IngestSession.SealedRecord> batch) {
        if (!touch(uploadId)) {
            throw new UploadAbandoned();
        }
        int[][] results = jdbc.batchUpdate("""
                insert into dataset.record (id, dataset_id, external_id_ct, label, text_ct, image_blob, fingerprint, split, upload_id,
                                            ad_version)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (dataset_id, fingerprint) do nothing""",
                batch, batch.size(), (PreparedStatement ps, IngestSession.SealedRecord r) -> {
                    ps.setObject(1, r.id());
                    ps.setObject(2, datasetId);
                    ps.setBytes(3, r.externalIdCt());
                    ps.setString(4, r.label());
                    ps.setBytes(5, r.textCt());
                    ps.setString(6, r.imageKey());
                    ps.setBytes(7, r.fingerprint());
                    ps.setString(8, r.split());
                    ps.setObject(9, uploadId);
                    ps.setInt(10, RecordCipher.Binding.CURRENT);
                });
        List<IngestSession.SealedRecord> duplicates = new ArrayList<>();
        int index = 0;
        for (int[] chunk : results) {
            for (int count : chunk) {
                if (count == 0) {
                    duplicates.add(batch.get(index));
                }
                index++;
            }
        }
        return duplicates;
    }

    /**
     * Removes an upload's records and staged entries (its blobs are already gone), and its row unless
     * {@code keepRow}: the sweep keeps an abandoned upload's row one limit longer, as the intent behind a late blob.
     * Returns how many records went.
     */
    @Transactional
    int takeBack(UUID uploadId, boolean keepRow) {
        int records = jdbc.update("delete from dataset.record where upload_id = ?", uploadId);
        jdbc.update("delete from dataset.staged_image where upload_id = ?", uploadId);
        if (!keepRow) {
            jdbc.update("delete from dataset.upload where id = ?", uploadId);
        }
        return records;
    }

    /**
     * 408: the upload's row went unmarked past the sweep's limit (its heartbeat could not reach the database) and it
     * has been taken back; it cannot go on.
     */
    static final class UploadAbandoned extends dev.braid.common.problem.ApiException {

        UploadAbandoned() {
            super(org.springframework.http.HttpStatus.REQUEST_TIMEOUT, "upload-abandoned",
                    "The upload could not be kept alive and was taken back; nothing from it was kept");
        }
    }
}
