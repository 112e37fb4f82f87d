package dev.braid.dataset.catalog;

import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * The catalogue, {@code dataset.dataset}. Every method, the inherited ones included, sees the caller's tenant only:
 * {@link DatasetEntity}'s {@code @TenantId} makes Hibernate filter each query and load by id, and fill the tenant on
 * insert.
 */
interface DatasetRepository extends JpaRepository<DatasetEntity, UUID> {
}
