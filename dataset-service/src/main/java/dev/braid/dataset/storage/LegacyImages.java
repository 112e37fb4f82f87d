package dev.braid.dataset.storage;

import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.braid.dataset.DatasetProperties;

/**
 * Moves the sealed images of records written while images lived in PostgreSQL ({@code record.image_ct}) to the
 * blob store, a few rows per transaction, until none is left. The ciphertext moves as it is: it is bound to its
 * dataset, record and field, not to where it is kept, so nothing is decrypted. The rows are locked while their
 * blobs are written ({@code skip locked}: instances share the work), the blob is written before the row names it,
 * and the same bytes go to the same key, so a crash in between leaves a row that is moved again at the next run.
 */
@Component
class LegacyImages implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(LegacyImages.class);
    private static final int ROWS_PER_TRANSACTION = 64;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final RecordBlobs blobs;
    private final DatasetProperties properties;

    LegacyImages(JdbcClient jdbc, TransactionTemplate transactions, RecordBlobs blobs, DatasetProperties properties) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.blobs = blobs;
        this.properties = properties;
    }

    private record Legacy(UUID id, UUID datasetId, byte[] sealed) {
    }

    /** Every {@code sweep-interval}, from start-up, until nothing is left to move. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(this::move, properties.sweepInterval());
    }

    void move() {
        long moved = 0;
        for (int rows; (rows = moveSome()) > 0;) {
            moved += rows;
        }
        if (moved > 0) {
            log.info("Moved the images of {} records from the database to the blob store", moved);
        }
    }

    /** One transaction's worth; returns how many rows it moved. */
    int moveSome() {
        Integer moved = transactions.execute(status -> {
            // rows of an upload still in progress wait for it: if it is refused, its rows go with it and nothing is left
            List<Legacy> rows = jdbc.sql("""
                    select id, dataset_id, image_ct from dataset.record r
                    where image_ct is not null and not exists (select 1 from dataset.upload u where u.id = r.upload_id)
                    limit ? for update of r skip locked""")
                    .param(ROWS_PER_TRANSACTION)
                    .query((rs, row) -> new Legacy(rs.getObject("id", UUID.class), rs.getObject("dataset_id", UUID.class),
                            rs.getBytes("image_ct")))
                    .list();
            for (Legacy row : rows) {
                String key = RecordBlobs.movedKey(row.datasetId(), row.id());
                blobs.put(key, row.sealed());
                jdbc.sql("update dataset.record set image_blob = ?, image_ct = null where id = ?").params(key, row.id()).update();
            }
            return rows.size();
        });
        return moved == null ? 0 : moved;
    }
}
