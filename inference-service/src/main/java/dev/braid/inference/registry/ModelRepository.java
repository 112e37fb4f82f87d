package dev.braid.inference.registry;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/**
 * Model versions of the caller's tenant ({@link ModelEntity}'s {@code @TenantId} filters every query). Revoked models
 * (their dataset was deleted) are found only by {@link #existsByIdAndRevokedAtIsNotNull}.
 */
interface ModelRepository extends JpaRepository<ModelEntity, UUID> {

    Optional<ModelEntity> findByIdAndRevokedAtIsNull(UUID id);

    Optional<ModelEntity> findByJobIdAndRevokedAtIsNull(UUID jobId);

    Page<ModelEntity> findByRevokedAtIsNull(Pageable page);

    Page<ModelEntity> findByDatasetIdAndRevokedAtIsNull(UUID datasetId, Pageable page);

    boolean existsByIdAndRevokedAtIsNotNull(UUID id);

    @Query("select m.id from ModelEntity m where m.revokedAt is null")
    Set<UUID> findLiveIds();
}
