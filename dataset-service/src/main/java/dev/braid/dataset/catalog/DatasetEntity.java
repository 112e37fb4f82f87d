package dev.braid.dataset.catalog;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

import dev.braid.common.persistence.AssignedIdEntity;

/** A row of {@code dataset.dataset}; its tenant is the caller's, filled and filtered by Hibernate. */
@Entity
@Table(schema = "dataset", name = "dataset")
class DatasetEntity extends AssignedIdEntity<UUID> {

    @Id
    private UUID id;

    @TenantId
    private String tenantId;

    private String name;

    @JdbcTypeCode(SqlTypes.ARRAY)
    private String[] labels;

    private Double epsilonBudget;

    private Double delta;

    private Instant createdAt;


    protected DatasetEntity() {
    }

    DatasetEntity(UUID id, String name, List<String> labels, Dataset.Privacy privacy, Instant createdAt) {
        this.id = id;
        this.name = name;
        this.labels = labels.toArray(String[]::new);
        this.epsilonBudget = privacy == null ? null : privacy.epsilonBudget();
        this.delta = privacy == null ? null : privacy.delta();
        this.createdAt = createdAt;
    }

    @Override
    public UUID getId() {
        return id;
    }

    Dataset toDataset() {
        Dataset.Privacy privacy = epsilonBudget == null ? null : new Dataset.Privacy(epsilonBudget, delta);
        return new Dataset(id, tenantId, name, List.of(labels), privacy, createdAt);
    }
}
