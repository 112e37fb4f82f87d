package dev.braid.dataset.ingest;

import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

import dev.braid.dataset.DatasetProperties;
import dev.braid.dataset.storage.RecordBlobs;

/**
 * Takes back what will never finish, on whichever instance runs, from the rows that say what was meant: an upload's
 * row is committed before its first blob, a deleted dataset's tombstone with the deletion.
 * <ul>
 * <li>An upload whose heartbeat stopped for {@code abandoned-upload-after} (its process died, or it lost the
 * database) is marked abandoned: from then on it can add no record. Its blobs, its records and its staged images
 * go at once.</li>
 * <li>One limit later, when a blob write that was in flight at the mark has landed or failed, its prefix is emptied
 * again and the row goes.</li>
 * <li>A deleted dataset's blobs are deleted at every sweep until its tombstone is one limit old, for an upload that
 * was still writing when the dataset went.</li>
 * </ul>
 * Blobs go before the rows that name them, so a crash in between leaves rows of an invisible upload, taken at the
 * next sweep, never a row without its blob in a finished upload. Every step is idempotent.
 */
@Component
class AbandonedUploads implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(AbandonedUploads.class);

    private final JdbcClient jdbc;
    private final RecordWriter writer;
    private final RecordBlobs blobs;
    private final DatasetProperties properties;

    AbandonedUploads(JdbcClient jdbc, RecordWriter writer, RecordBlobs blobs, DatasetProperties properties) {
        this.jdbc = jdbc;
        this.writer = writer;
        this.blobs = blobs;
        this.properties = properties;
    }

    private record Upload(UUID id, UUID datasetId, boolean settled) {
    }

    /** Every {@code sweep-interval}, from start-up. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(this::sweep, properties.sweepInterval());
    }

    void sweep() {
        long limit = properties.abandonedUploadAfter().toMillis();
        int marked = jdbc.sql("""
                update dataset.upload set abandoned_at = now()
                where abandoned_at is null and active_at < now() - make_interval(secs => ?)""")
                .param(limit / 1000.0).update();
        List<Upload> abandoned = jdbc.sql("""
                select id, dataset_id, abandoned_at < now() - make_interval(secs => ?) as settled
                from dataset.upload where abandoned_at is not null""")
                .param(limit / 1000.0)
                .query((rs, row) -> new Upload(rs.getObject("id", UUID.class), rs.getObject("dataset_id", UUID.class),
                        rs.getBoolean("settled")))
                .list();
        int records = 0;
        for (Upload upload : abandoned) {
            // as a refused upload takes itself back (IngestSession.rollback), the row kept until it has settled
            blobs.delete(RecordBlobs.uploadPrefix(upload.datasetId(), upload.id()));
            records += writer.takeBack(upload.id(), !upload.settled());
        }
        int staged = jdbc.sql("""
                delete from dataset.staged_image s where not exists (select 1 from dataset.upload u where u.id = s.upload_id)""")
                .update();
        List<UUID> deleted = jdbc.sql("select id from dataset.deleted_dataset").query(UUID.class).list();
        for (UUID dataset : deleted) {
            blobs.delete(RecordBlobs.datasetPrefix(dataset));
        }
        jdbc.sql("delete from dataset.deleted_dataset where deleted_at < now() - make_interval(secs => ?)")
                .param(limit / 1000.0).update();
        if (marked > 0 || records > 0 || staged > 0) {
            log.info("Took back {} abandoned uploads ({} newly found): {} records and {} staged images", abandoned.size(),
                    marked, records, staged);
        }
    }
}
