package dev.braid.dataset.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Counts over {@code dataset.record}, which may hold millions of rows per dataset: grouped counts in SQL through
 * {@code JdbcClient}, as the record rows are not entities (ingestion writes them in JDBC batches). Callers pass
 * dataset ids the catalogue has already found for the caller's tenant.
 */
@Repository
class RecordStatistics {

    /** Records of an upload still in progress are not part of the dataset yet. */
    private static final String COMPLETE_UPLOADS = " and not exists (select 1 from dataset.upload u where u.id = r.upload_id)";

    private final JdbcClient jdbc;

    RecordStatistics(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

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
}
