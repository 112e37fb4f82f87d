package dev.braid.privacy.keys;

import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.braid.privacy.PrivacyProperties;

/**
 * Moves data keys onto their tenant's primary key-encryption key after a rotation, one batch per
 * transaction, and retires old key versions once no data key uses them. All progress is in the
 * rows themselves (each data key records the key that wraps it), so a restart simply carries on;
 * several instances share the work through {@code FOR UPDATE SKIP LOCKED}.
 */
@Component
class Rewrapper {

    private static final Logger log = LoggerFactory.getLogger(Rewrapper.class);

    private final JdbcClient jdbc;
    private final TenantKeyRing rings;
    private final KeyAudit audit;
    private final TransactionTemplate transactions;
    private final int batchSize;

    Rewrapper(JdbcClient jdbc, TenantKeyRing rings, KeyAudit audit, TransactionTemplate transactions,
            PrivacyProperties properties) {
        this.jdbc = jdbc;
        this.rings = rings;
        this.audit = audit;
        this.transactions = transactions;
        this.batchSize = properties.rewrap().batchSize();
    }

    private record Pending(UUID datasetId, byte[] wrapped) {
    }

    @Scheduled(fixedDelayString = "${braid.privacy.rewrap.interval:2s}")
    void run() {
        try {
            for (String tenant : tenantsWithStaleKeys()) {
                while (rewrapBatch(tenant) > 0) {
                    // keep going: each batch is its own transaction
                }
            }
            retireUnusedVersions();
        }
        catch (RuntimeException ex) {
            log.warn("Rewrap pass failed; it resumes on the next pass: {}", ex.toString());
        }
    }

    List<String> tenantsWithStaleKeys() {
        return jdbc.sql("""
                select distinct d.tenant_id from privacy.data_key d join privacy.tenant_kek k on k.tenant_id = d.tenant_id
                where d.wrapped is not null and d.kek_key_id <> k.primary_key_id""").query(String.class).list();
    }

    /** Rewraps up to one batch of the tenant's stale data keys; returns how many. */
    int rewrapBatch(String tenant) {
        Integer done = transactions.execute(status -> {
            TenantKeyRing.Ring ring = rings.lock(tenant, false);
            List<Pending> batch = jdbc.sql("""
                    select dataset_id, wrapped from privacy.data_key
                    where tenant_id = ? and wrapped is not null and kek_key_id <> ?
                    order by dataset_id limit ? for update skip locked""")
                    .params(tenant, ring.primaryKeyId(), batchSize)
                    .query((rs, row) -> new Pending(rs.getObject("dataset_id", UUID.class), rs.getBytes("wrapped")))
                    .list();
            for (Pending p : batch) {
                byte[] key = DataKeyService.decrypt(ring, p.wrapped(), tenant, p.datasetId());
                byte[] rewrapped = DataKeyService.encrypt(ring, key, tenant, p.datasetId());
                java.util.Arrays.fill(key, (byte) 0);
                jdbc.sql("update privacy.data_key set wrapped = ?, kek_key_id = ? where dataset_id = ?")
                        .params(rewrapped, ring.primaryKeyId(), p.datasetId()).update();
            }
            if (!batch.isEmpty()) {
                audit.record(tenant, "DATA_KEYS_REWRAPPED", null, ring.primaryKeyId(), batch.size() + " data keys");
            }
            return batch.size();
        });
        return done == null ? 0 : done;
    }

    /** Drops key versions that no data key needs any more, tenant by tenant, under the keyset's update lock. */
    void retireUnusedVersions() {
        List<String> tenants = jdbc.sql("select tenant_id from privacy.tenant_kek where rotated_at is not null").query(String.class).list();
        for (String tenant : tenants) {
            transactions.executeWithoutResult(status -> {
                TenantKeyRing.Ring ring = rings.lock(tenant, true);
                if (ring.keyIds().size() == 1) {
                    return;
                }
                HashSet<Long> inUse = new HashSet<>(jdbc.sql(
                        "select distinct kek_key_id from privacy.data_key where tenant_id = ? and wrapped is not null")
                        .param(tenant).query(Long.class).list());
                List<Long> retired = rings.retire(ring, inUse);
                if (!retired.isEmpty()) {
                    log.info("Retired {} old key-encryption key version(s) of tenant {}", retired.size(), tenant);
                }
            });
        }
    }
}
