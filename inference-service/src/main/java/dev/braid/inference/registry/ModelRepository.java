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

/** {@code inference.model} and {@code inference.deployment}, always filtered by tenant. */
@Repository
class ModelRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SELECT = """
            select m.*, (d.model_id is not null) as deployed from inference.model m
            left join inference.deployment d on d.model_id = m.id""";

    private final JdbcClient jdbc;

    ModelRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts unless the job already registered a model; returns the job's model either way. */
    ModelVersion register(ModelVersion model) {
        jdbc.sql("""
                insert into inference.model (id, tenant_id, dataset_id, job_id, labels, metrics, artifact_key)
                values (?, ?, ?, ?, ?, ?::jsonb, ?) on conflict (job_id) do nothing""")
                .params(model.id(), model.tenant(), model.datasetId(), model.jobId(), model.labels().toArray(String[]::new),
                        JSON.writeValueAsString(model.metrics()), model.artifactKey())
                .update();
        return jdbc.sql(SELECT + " where m.tenant_id = ? and m.job_id = ?").params(model.tenant(), model.jobId())
                .query(ModelRepository::map).single();
    }

    Optional<ModelVersion> find(String tenant, UUID id) {
        return jdbc.sql(SELECT + " where m.tenant_id = ? and m.id = ?").params(tenant, id).query(ModelRepository::map).optional();
    }

    List<ModelVersion> list(String tenant, UUID datasetId, int page, int size) {
        return jdbc.sql(SELECT + " where m.tenant_id = ? and (?::uuid is null or m.dataset_id = ?) order by m.created_at, m.id limit ? offset ?")
                .params(tenant, datasetId, datasetId, size, (long) page * size).query(ModelRepository::map).list();
    }

    java.util.Set<UUID> ids(String tenant) {
        return java.util.Set.copyOf(jdbc.sql("select id from inference.model where tenant_id = ?").param(tenant).query(UUID.class).list());
    }

    long count(String tenant, UUID datasetId) {
        return jdbc.sql("select count(*) from inference.model where tenant_id = ? and (?::uuid is null or dataset_id = ?)")
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
                JSON.readTree(rs.getString("metrics")), rs.getString("artifact_key"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getBoolean("deployed"));
    }
}
