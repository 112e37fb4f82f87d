package dev.braid.inference.registry;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Formula;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

import dev.braid.common.report.JobMetrics;

/**
 * A row of {@code inference.model}, read through JPA. Rows are written by {@link RevocationStore} (registration is a
 * conditional insert against revoked datasets, revocation a cross-row update under a lock), so the entity is
 * immutable here.
 */
@Entity
@Immutable
@Table(schema = "inference", name = "model")
class ModelEntity {

    @Id
    private UUID id;

    @TenantId
    private String tenantId;

    private UUID datasetId;

    private UUID jobId;

    @JdbcTypeCode(SqlTypes.ARRAY)
    private String[] labels;

    @JdbcTypeCode(SqlTypes.JSON)
    private JobMetrics metrics;

    private String artifactKey;

    private Instant createdAt;

    private Instant revokedAt;

    @Formula("(exists (select 1 from inference.deployment d where d.model_id = id))")
    private boolean deployed;

    protected ModelEntity() {
    }

    ModelVersion toVersion() {
        return new ModelVersion(id, tenantId, datasetId, jobId, List.of(labels), metrics, artifactKey, createdAt, deployed);
    }
}
