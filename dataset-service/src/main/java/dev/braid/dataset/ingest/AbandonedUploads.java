package dev.braid.dataset.ingest;

import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.braid.dataset.DatasetProperties;

/**
 * Takes back uploads that will never finish: their process died, or the database went away before
 * they could take themselves back. An upload idle past {@code abandoned-upload-after} loses its row
 * (locked, so an upload writing at that moment either wins and stays, or finds itself gone and
 * stops), its records and its staged images, in one transaction, on whichever instance runs.
 * Staged images belong to live uploads only; any without one are swept too.
 */
@Component
class AbandonedUploads {

    private static final Logger log = LoggerFactory.getLogger(AbandonedUploads.class);

    private final JdbcClient jdbc;
    private final DatasetProperties properties;

    AbandonedUploads(JdbcClient jdbc, DatasetProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "PT1M")
    @Transactional
    public void sweep() {
        List<UUID> abandoned = jdbc.sql("delete from dataset.upload where active_at < now() - make_interval(secs => ?) returning id")
                .param(properties.abandonedUploadAfter().toSeconds()).query(UUID.class).list();
        int records = 0;
        if (!abandoned.isEmpty()) {
            records = jdbc.sql("delete from dataset.record where upload_id = any(?)").param(abandoned.toArray(UUID[]::new)).update();
        }
        int staged = jdbc.sql("""
                delete from dataset.staged_image s where not exists (select 1 from dataset.upload u where u.id = s.upload_id)""")
                .update();
        if (!abandoned.isEmpty() || staged > 0) {
            log.info("Took back {} abandoned uploads: {} records and {} staged images", abandoned.size(), records, staged);
        }
    }
}
