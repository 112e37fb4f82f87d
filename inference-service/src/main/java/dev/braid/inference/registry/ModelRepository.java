package dev.braid.inference.registry;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.common.report.JobMetrics;

/** {@code inference.model} and {@code inference.deployment}, always filtered by tenant. */
@Repository
class ModelRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Models that still serve: a revoked model (its dataset was deleted) is found by none of these queries. */
    private static final String SELECT = """
            select m.*, (d.model_id is not null) as deployed from inference.model m
            left join inference.deployment d on d.model_id = m.id
            where m.revoked_at is null""";

    private final JdbcClient jdbc;

    ModelRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts unless the job already registered a model; returns the job's model either way, or
     * empty when the dataset has been deleted (then nothing is inserted). Call within a transaction
     * holding {@link #lockDataset}, so a deletion cannot slip in between the check and the insert.
     */
    Optional<ModelVersion> register(ModelVersion model) {
        jdbc.sql("""
                insert into inference.model (id, tenant_id, dataset_id, job_id, labels, metrics, artifact_key)
                select ?, ?, ?, ?, ?, ?::jsonb, ?
                where not exists (select 1 from inference.revoked_dataset where tenant_id = ? and dataset_id = ?)
                on conflict (job_id) do nothing""")
                .params(model.id(), model.tenant(), model.datasetId(), model.jobId(), model.labels().toArray(String[]::new),
                        JSON.writeValueAsString(model.metrics()), model.artifactKey(), model.tenant(), model.datasetId())
                .update();
        return jdbc.sql(SELECT + " and m.tenant_id = ? and m.job_id = ?").params(model.tenant(), model.jobId())
                .query(ModelRepository::map).optional();
    }

    /** Serialises registering and revoking one dataset's models until the transaction ends. */
    void lockDataset(UUID datasetId) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('braid.inference.dataset/' || ?::text))").param(datasetId).query().singleRow();
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

    boolean isRevokedModel(String tenant, UUID id) {
        return jdbc.sql("select exists(select 1 from inference.model where tenant_id = ? and id = ? and revoked_at is not null)")
                .params(tenant, id).query(Boolean.class).single();
    }

    boolean isRevokedDataset(String tenant, UUID datasetId) {
        return jdbc.sql("select exists(select 1 from inference.revoked_dataset where tenant_id = ? and dataset_id = ?)")
                .params(tenant, datasetId).query(Boolean.class).single();
    }

    /** Which of these models (of any tenant) have been revoked. */
    List<UUID> revokedAmong(java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select id from inference.model where id = any(?) and revoked_at is not null")
                .param(ids.toArray(UUID[]::new)).query(UUID.class).list();
    }

    Optional<ModelVersion> find(String tenant, UUID id) {
        return jdbc.sql(SELECT + " and m.tenant_id = ? and m.id = ?").params(tenant, id).query(ModelRepository::map).optional();
    }

    List<ModelVersion> list(String tenant, UUID datasetId, int page, int size) {
        return jdbc.sql(SELECT + " and m.tenant_id = ? and (?::uuid is null or m.dataset_id = ?) order by m.created_at, m.id limit ? offset ?")
                .params(tenant, datasetId, datasetId, size, (long) page * size).query(ModelRepository::map).list();
    }

    java.util.Set<UUID> ids(String tenant) {
        return java.util.Set.copyOf(jdbc.sql("select id from inference.model where tenant_id = ? and revoked_at is null").param(tenant)
                .query(UUID.class).list());
    }

    long count(String tenant, UUID datasetId) {
        return jdbc.sql("""
                select count(*) from inference.model where tenant_id = ? and (?::uuid is null or dataset_id = ?) and revoked_at is null""")
                .params(tenant, datasetId, datasetId).query(Long.class).single();
    }

    Optional<UUID> deployedModel(String tenant, UUID datasetId) {
        return jdbc.sql("select model_id from inference.deployment where tenant_id = ? and dataset_id = ?")
                .params(tenant, datasetId).query(UUID.class).optional();
    }

    void deploy(ModelVersion model) {
        jdbc.sql("""
                insert into inference.deployment (dataset_id, tenant_id, model_id) values (?, ?, ?)
                on conflict (dataset_id) do update set model_id = excluded.model_id, deployed_at = now()""")
                .params(model.datasetId(), model.tenant(), model.id())
                .update();
    }

    private static ModelVersion map(ResultSet rs, int row) throws SQLException {
        return new ModelVersion(rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getObject("dataset_id", UUID.class),
                rs.getObject("job_id", UUID.class), Arrays.asList((String[]) rs.getArray("labels").getArray()),
                JSON.readValue(rs.getString("metrics"), JobMetrics.class), rs.getString("artifact_key"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getBoolean("deployed"));
    }
}
