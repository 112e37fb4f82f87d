package dev.braid.dataset.catalog;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.braid.dataset.storage.RecordBlobs;

/**
 * A deleted dataset's blobs. Its tombstone is written in the transaction that removes its rows; the blobs under
 * its prefix are deleted once that commits, and again by the sweep until the tombstone is old enough that no upload
 * still writing at the deletion can add one (so a crash after the commit leaves nothing behind either).
 */
@Repository
class DeletedDatasets {

    private static final Logger log = LoggerFactory.getLogger(DeletedDatasets.class);

    private final JdbcClient jdbc;
    private final RecordBlobs blobs;

    DeletedDatasets(JdbcClient jdbc, RecordBlobs blobs) {
        this.jdbc = jdbc;
        this.blobs = blobs;
    }

    /** Within the deleting transaction. */
    void add(UUID datasetId) {
        jdbc.sql("insert into dataset.deleted_dataset (id) values (?) on conflict (id) do nothing").param(datasetId).update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                try {
                    blobs.delete(RecordBlobs.datasetPrefix(datasetId));
                }
                catch (RuntimeException ex) {
                    log.warn("Blobs of deleted dataset {} stay until the next sweep: {}", datasetId, ex.toString());
                }
            }
        });
    }
}
