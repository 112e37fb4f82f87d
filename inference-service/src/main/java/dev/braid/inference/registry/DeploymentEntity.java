package dev.braid.inference.registry;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.TenantId;

import dev.braid.common.persistence.AssignedIdEntity;

/** A row of {@code inference.deployment}: the model serving one dataset's predictions. */
@Entity
@Table(schema = "inference", name = "deployment")
class DeploymentEntity extends AssignedIdEntity<UUID> {

    @Id
    private UUID datasetId;

    @TenantId
    private String tenantId;

    private UUID modelId;

    private Instant deployedAt;

    protected DeploymentEntity() {
    }

    DeploymentEntity(UUID datasetId) {
        this.datasetId = datasetId;
    }

    UUID modelId() {
        return modelId;
    }

    void serve(UUID model, Instant at) {
        this.modelId = model;
        this.deployedAt = at;
    }

    @Override
    public UUID getId() {
        return datasetId;
    }
}
