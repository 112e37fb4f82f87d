package dev.braid.dataset.ingest;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.braid.dataset.storage.RecordBlobs;

/**
 * Images of an archive that came before its manifest, waiting to be paired with their records: a usable one sealed
 * in the blob store under the upload's {@code staged/} prefix, an unusable one as a row of
 * {@code dataset.staged_image} saying why. Both go when the upload ends; an upload that died is swept with its prefix.
 */
@Repository
class StagedImages {

    private final JdbcClient jdbc;

    StagedImages(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A staged entry: its bytes, or why the image cannot be used. */
    record Staged(byte[] image, String reason) {
    }

    void stage(IngestSession session, String path, byte[] image, String reason) {
        if (reason != null) {
            jdbc.sql("insert into dataset.staged_image (upload_id, path, dataset_id, reason) values (?, ?, ?, ?)")
                    .params(session.uploadId(), path, session.dataset().id(), reason).update();
            return;
        }
        session.blobs().put(key(session, path), session.cipher().encrypt(stagingId(session, path), "staged", image));
    }

    /** The entry of a path that was staged. */
    Staged find(IngestSession session, String path) {
        Optional<String> reason = jdbc.sql("select reason from dataset.staged_image where upload_id = ? and path = ?")
                .params(session.uploadId(), path).query(String.class).optional();
        if (reason.isPresent()) {
            return new Staged(null, reason.get());
        }
        return new Staged(session.cipher().decrypt(stagingId(session, path), "staged", session.blobs().read(key(session, path))),
                null);
    }

    private static String key(IngestSession session, String path) {
        byte[] digest = ArchivePaths.digest(path);
        return RecordBlobs.stagedKey(session.dataset().id(), session.uploadId(), HexFormat.of().formatHex(digest));
    }

    /** What a staged image is sealed to: its upload and its path, so it cannot pass for another. */
    private static UUID stagingId(IngestSession session, String path) {
        return UUID.nameUUIDFromBytes((session.uploadId() + "/" + path).getBytes(StandardCharsets.UTF_8));
    }
}
