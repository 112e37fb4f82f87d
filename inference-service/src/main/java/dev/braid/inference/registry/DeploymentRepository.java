package dev.braid.inference.registry;

import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

/** Deployments of the caller's tenant, by dataset id ({@link DeploymentEntity}'s {@code @TenantId} filters them). */
interface DeploymentRepository extends JpaRepository<DeploymentEntity, UUID> {
}
