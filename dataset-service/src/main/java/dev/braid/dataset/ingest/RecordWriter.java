package dev.braid.dataset.ingest;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import dev.braid.dataset.crypto.RecordCipher;

/**
 * Encrypts validated records and writes them in batches, one transaction per batch. Plain JDBC
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

    /** Marks the upload alive; false when it was swept as abandoned, and so must not write on. */
    boolean touch(UUID uploadId) {
        return jdbc.update("update dataset.upload set active_at = now() where id = ?", uploadId) == 1;
    }

    /** The upload succeeded: its records become part of the dataset, all at once. */
    void complete(UUID uploadId) {
        jdbc.update("delete from dataset.upload where id = ?", uploadId);
    }

    /**
     * Stores the batch; returns how many were new (the rest were duplicates). The upload is marked
     * alive in the same transaction, and a swept upload writes nothing more.
     */
    @Transactional
    int write(UUID datasetId, UUID uploadId, List<CandidateRecord> batch, RecordCipher cipher) {
        if (!touch(uploadId)) {
            throw new UploadAbandoned();
        }
        int[][] results = jdbc.batchUpdate("""
                insert into dataset.record (id, dataset_id, external_id_ct, label, text_ct, image_ct, fingerprint, split, upload_id,
                                            ad_version)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (dataset_id, fingerprint) do nothing""",
                batch, batch.size(), (PreparedStatement ps, CandidateRecord r) -> bind(ps, datasetId, uploadId, r, cipher));
        int inserted = 0;
        for (int[] chunk : results) {
            for (int count : chunk) {
                inserted += count;
            }
        }
        return inserted;
    }

    /** Removes what one upload stored, and the upload, when it is refused as a whole. */
    @Transactional
    void deleteUpload(UUID datasetId, UUID uploadId) {
        jdbc.update("delete from dataset.record where dataset_id = ? and upload_id = ?", datasetId, uploadId);
        jdbc.update("delete from dataset.upload where id = ?", uploadId);
    }

    /** 408: the upload was idle past the sweep's limit and has been taken back; it cannot go on. */
    static final class UploadAbandoned extends dev.braid.common.problem.ApiException {

        UploadAbandoned() {
            super(org.springframework.http.HttpStatus.REQUEST_TIMEOUT, "upload-abandoned",
                    "The upload sent nothing for too long and was taken back; nothing from it was kept");
        }
    }

    private static void bind(PreparedStatement ps, UUID datasetId, UUID uploadId, CandidateRecord r, RecordCipher cipher)
            throws SQLException {
        UUID id = UUID.randomUUID();
        byte[] fingerprint = cipher.fingerprint(r.label(), r.text(), r.image());
        String split = CandidateRecord.splitOf(fingerprint);
        RecordCipher.Binding binding = RecordCipher.Binding.current(id, r.label(), split);
        ps.setObject(1, id);
        ps.setObject(2, datasetId);
        ps.setBytes(3, cipher.encrypt(binding, "external_id", r.externalId() == null ? null
                : r.externalId().getBytes(StandardCharsets.UTF_8)));
        ps.setString(4, r.label());
        ps.setBytes(5, cipher.encrypt(binding, "text", r.text() == null ? null : r.text().getBytes(StandardCharsets.UTF_8)));
        ps.setBytes(6, cipher.encrypt(binding, "image", r.image()));
        ps.setBytes(7, fingerprint);
        ps.setString(8, split);
        ps.setObject(9, uploadId);
        ps.setInt(10, binding.version());
    }
}
