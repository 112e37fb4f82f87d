package dev.braid.dataset.catalog;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** {@code dataset.dataset}, always filtered by tenant: another tenant's row is never read. */
@Repository
class DatasetRepository {

    private final JdbcClient jdbc;

    DatasetRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Dataset dataset) {
        jdbc.sql("""
                insert into dataset.dataset (id, tenant_id, name, labels, epsilon_budget, delta, created_at)
                values (?, ?, ?, ?, ?, ?, ?)""")
                .params(dataset.id(), dataset.tenant(), dataset.name(), dataset.labels().toArray(String[]::new),
                        dataset.privacy() == null ? null : dataset.privacy().epsilonBudget(),
                        dataset.privacy() == null ? null : dataset.privacy().delta(),
                        dataset.createdAt().atOffset(java.time.ZoneOffset.UTC))
                .update();
    }

    Optional<Dataset> find(String tenant, UUID id) {
        return jdbc.sql("select * from dataset.dataset where tenant_id = ? and id = ?")
                .params(tenant, id).query(DatasetRepository::map).optional();
    }

    List<Dataset> list(String tenant, int page, int size) {
        return jdbc.sql("select * from dataset.dataset where tenant_id = ? order by created_at, id limit ? offset ?")
                .params(tenant, size, (long) page * size).query(DatasetRepository::map).list();
    }

    long count(String tenant) {
        return jdbc.sql("select count(*) from dataset.dataset where tenant_id = ?").param(tenant).query(Long.class).single();
    }

    boolean delete(String tenant, UUID id) {
        return jdbc.sql("delete from dataset.dataset where tenant_id = ? and id = ?").params(tenant, id).update() == 1;
    }

    /** Records of an upload still in progress are not part of the dataset yet. */
    static final String COMPLETE_UPLOADS = " and not exists (select 1 from dataset.upload u where u.id = r.upload_id)";

    Map<UUID, Long> recordCounts(List<UUID> ids) {
        Map<UUID, Long> counts = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return counts;
        }
        jdbc.sql("select dataset_id, count(*) as n from dataset.record r where dataset_id = any(?)" + COMPLETE_UPLOADS
                        + " group by dataset_id")
                .param(ids.toArray(UUID[]::new))
                .query(rs -> {
                    counts.put(rs.getObject("dataset_id", UUID.class), rs.getLong("n"));
                });
        return counts;
    }

    /** split → label → count. */
    Map<String, Map<String, Long>> splitCounts(UUID id) {
        Map<String, Map<String, Long>> splits = new LinkedHashMap<>();
        jdbc.sql("select split, label, count(*) as n from dataset.record r where dataset_id = ?" + COMPLETE_UPLOADS
                        + " group by split, label order by split, label")
                .param(id)
                .query(rs -> {
                    splits.computeIfAbsent(rs.getString("split"), s -> new LinkedHashMap<>()).put(rs.getString("label"), rs.getLong("n"));
                });
        return splits;
    }

    private static Dataset map(ResultSet rs, int row) throws SQLException {
        Array labels = rs.getArray("labels");
        double epsilon = rs.getDouble("epsilon_budget");
        Dataset.Privacy privacy = rs.wasNull() ? null : new Dataset.Privacy(epsilon, rs.getDouble("delta"));
        return new Dataset(rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getString("name"),
                Arrays.asList((String[]) labels.getArray()), privacy,
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
