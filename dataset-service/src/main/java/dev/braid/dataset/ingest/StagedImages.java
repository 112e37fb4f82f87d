package dev.braid.dataset.ingest;

import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;

/**
 * {@code dataset.staged_image}: images of an archive that came before its manifest, encrypted,
 * waiting to be paired with their records. An upload removes its own rows when it ends; rows of
 * an upload that died with its process go with it in {@link AbandonedUploads}.
 */
@Repository
class StagedImages {

    private static final Logger log = LoggerFactory.getLogger(StagedImages.class);

    private final JdbcClient jdbc;

    StagedImages(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A staged entry: its encrypted bytes, or why the image cannot be used. */
    record Staged(byte[] ciphertext, String reason) {
    }

    void stage(UUID uploadId, UUID datasetId, String path, byte[] ciphertext, String reason) {
        jdbc.sql("insert into dataset.staged_image (upload_id, path, dataset_id, image_ct, reason) values (?, ?, ?, ?, ?)")
                .params(uploadId, path, datasetId, ciphertext, reason).update();
    }

    Optional<Staged> find(UUID uploadId, String path) {
        return jdbc.sql("select image_ct, reason from dataset.staged_image where upload_id = ? and path = ?")
                .params(uploadId, path)
                .query((rs, row) -> new Staged(rs.getBytes("image_ct"), rs.getString("reason")))
                .optional();
    }

    long count(UUID uploadId) {
        return jdbc.sql("select count(*) from dataset.staged_image where upload_id = ?").param(uploadId).query(Long.class).single();
    }

    void clear(UUID uploadId) {
        jdbc.sql("delete from dataset.staged_image where upload_id = ?").param(uploadId).update();
    }
}
