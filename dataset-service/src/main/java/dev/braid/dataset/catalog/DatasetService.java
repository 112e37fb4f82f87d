package dev.braid.dataset.catalog;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.braid.common.security.CallerContext;
import dev.braid.dataset.privacy.PrivacyClient;

/** The catalogue's facade: datasets of the caller's tenant. */
@Service
public class DatasetService {

    private final DatasetRepository repository;
    private final PrivacyClient privacy;
    private final DependentServices dependents;

    DatasetService(DatasetRepository repository, PrivacyClient privacy, DependentServices dependents) {
        this.repository = repository;
        this.privacy = privacy;
        this.dependents = dependents;
    }

    /**
     * Creates the dataset. Its data key, and its budget ledger when it has a budget, are opened in
     * the privacy service first, so no dataset exists without them.
     */
    public Dataset create(String name, List<String> labels, Dataset.Privacy budget) {
        Dataset dataset = new Dataset(UUID.randomUUID(), CallerContext.tenant(), name, List.copyOf(labels), budget,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        privacy.createDataKey(dataset.id());
        if (budget != null) {
            privacy.registerBudget(dataset.id(), budget.epsilonBudget(), budget.delta());
        }
        repository.insert(dataset);
        return dataset;
    }

    /** The caller's dataset, or {@link DatasetNotFound}. */
    public Dataset get(UUID id) {
        return repository.find(CallerContext.tenant(), id).orElseThrow(() -> DatasetNotFound.forId(id));
    }

    public List<Dataset> list(int page, int size) {
        return repository.list(CallerContext.tenant(), page, size);
    }

    public long count() {
        return repository.count(CallerContext.tenant());
    }

    public Map<UUID, Long> recordCounts(List<UUID> ids) {
        return repository.recordCounts(ids);
    }

    public Map<String, Map<String, Long>> splitCounts(UUID id) {
        return repository.splitCounts(id);
    }

    /**
     * Revokes what was made from the dataset, crypto-shreds it, then removes it. Its models stop
     * serving and their artifacts go, its jobs are cancelled and their checkpoints go (both
     * before the key, so a service that is down leaves the dataset whole: 503, and a retried
     * delete finishes the work); then once the data key is destroyed no copy of its ciphertext
     * (backups, replicas, a disk sold on) can be read, whatever happens to the rows.
     */
    @Transactional
    public void delete(UUID id) {
        get(id);
        dependents.revoke(id);
        privacy.destroyDataKey(id);
        if (!repository.delete(CallerContext.tenant(), id)) {
            throw DatasetNotFound.forId(id);
        }
    }
}
