package dev.braid.dataset.ingest;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes validated records in batches, one transaction per batch. Plain JDBC batching rather than
 * an ORM: this is ingestion's hot path, and {@code on conflict do nothing} on the content hash is
 * what makes re-uploads and concurrent uploads of the same data store it once.
 */
@Repository
class RecordWriter {

    private final JdbcTemplate jdbc;

    RecordWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the batch; returns how many were new (the rest were duplicates). */
    @Transactional
    int write(UUID datasetId, List<CandidateRecord> batch) {
        int[][] results = jdbc.batchUpdate("""
                insert into dataset.record (id, dataset_id, external_id, label, text, image, content_hash, split)
                values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (dataset_id, content_hash) do nothing""",
                batch, batch.size(), (PreparedStatement ps, CandidateRecord r) -> bind(ps, datasetId, r));
        int inserted = 0;
        for (int[] chunk : results) {
            for (int count : chunk) {
                inserted += count;
            }
        }
        return inserted;
    }

    private static void bind(PreparedStatement ps, UUID datasetId, CandidateRecord r) throws SQLException {
        byte[] hash = r.contentHash();
        ps.setObject(1, UUID.randomUUID());
        ps.setObject(2, datasetId);
        ps.setString(3, r.externalId());
        ps.setString(4, r.label());
        ps.setString(5, r.text());
        ps.setBytes(6, r.image());
        ps.setBytes(7, hash);
        ps.setString(8, CandidateRecord.splitOf(hash));
    }
}
