package dev.braid.inference.registry;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registry's writes that must be atomic against a dataset's deletion, on {@code JdbcClient} because JPA has no
 * words for them: registration is one conditional insert (not if the dataset was deleted, once per job), revocation
 * one update returning what it revoked, both serialised per dataset by a PostgreSQL advisory lock; and the sweep asks
 * which loaded models of any tenant were revoked on another instance, which a tenant-filtered entity cannot.
 */
@Repository
class RevocationStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    RevocationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Serialises registering, deploying and revoking one dataset's models until the transaction ends. */
    void lockDataset(UUID datasetId) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('braid.inference.dataset/' || ?::text))").param(datasetId).query().singleRow();
    }

    /**
     * Inserts the job's model unless the job already registered one or its dataset has been deleted (then nothing
     * is inserted). Call within a transaction holding {@link #lockDataset}.
     */
    void register(ModelVersion model) {
        jdbc.sql("""
                insert into inference.model (id, tenant_id, dataset_id, job_id, labels, metrics, artifact_key)
                select ?, ?, ?, ?, ?, ?::jsonb, ?
                where not exists (select 1 from inference.revoked_dataset where tenant_id = ? and dataset_id = ?)
                on conflict (job_id) do nothing""")
                .params(model.id(), model.tenant(), model.datasetId(), model.jobId(), model.labels().toArray(String[]::new),
                        JSON.writeValueAsString(model.metrics()), model.artifactKey(), model.tenant(), model.datasetId())
                .update();
    }

    /** A model revoked with its deleted dataset (the row is kept, its artifact is not). */
    record Revoked(UUID id, String artifactKey) {
    }

    /**
     * Marks the dataset deleted, drops its deployment and revokes its models; returns what was
     * revoked now (nothing on a repeat). Call within a transaction holding {@link #lockDataset}.
     */
    List<Revoked> revokeDataset(String tenant, UUID datasetId) {
        jdbc.sql("insert into inference.revoked_dataset (dataset_id, tenant_id) values (?, ?) on conflict do nothing")
                .params(datasetId, tenant).update();
        jdbc.sql("delete from inference.deployment where tenant_id = ? and dataset_id = ?").params(tenant, datasetId).update();
        return jdbc.sql("""
                update inference.model set revoked_at = now() where tenant_id = ? and dataset_id = ? and revoked_at is null
                returning id, artifact_key""")
                .params(tenant, datasetId)
                .query((rs, row) -> new Revoked(rs.getObject("id", UUID.class), rs.getString("artifact_key"))).list();
    }

    boolean isRevokedDataset(String tenant, UUID datasetId) {
        return jdbc.sql("select exists(select 1 from inference.revoked_dataset where tenant_id = ? and dataset_id = ?)")
                .params(tenant, datasetId).query(Boolean.class).single();
    }

    /** Which of these models (of any tenant) have been revoked. */
    List<UUID> revokedAmong(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select id from inference.model where id = any(?) and revoked_at is not null")
                .param(ids.toArray(UUID[]::new)).query(UUID.class).list();
    }
}
