package dev.braid.dataset.catalog;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.braid.common.security.CallerContext;
import dev.braid.dataset.privacy.PrivacyClient;

/** The catalogue's facade: datasets of the caller's tenant. */
@Service
public class DatasetService {

    private static final Sort CREATION_ORDER = Sort.by("createdAt", "id");

    private final DatasetRepository repository;
    private final RecordStatistics records;
    private final PrivacyClient privacy;
    private final DependentServices dependents;
    private final DeletedDatasets deleted;

    DatasetService(DatasetRepository repository, RecordStatistics records, PrivacyClient privacy, DependentServices dependents,
            DeletedDatasets deleted) {
        this.repository = repository;
        this.records = records;
        this.privacy = privacy;
        this.dependents = dependents;
        this.deleted = deleted;
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
        repository.save(new DatasetEntity(dataset.id(), name, dataset.labels(), budget, dataset.createdAt()));
        return dataset;
    }

    /** The caller's dataset, or {@link DatasetNotFound}. */
    public Dataset get(UUID id) {
        return repository.findById(id).map(DatasetEntity::toDataset).orElseThrow(() -> DatasetNotFound.forId(id));
    }

    /** One page of the caller's datasets, oldest first, with the total. */
    public Page<Dataset> list(int page, int size) {
        return repository.findAll(PageRequest.of(page, size, CREATION_ORDER)).map(DatasetEntity::toDataset);
    }

    public Map<UUID, Long> recordCounts(List<UUID> ids) {
        return records.recordCounts(ids);
    }

    public Map<String, Map<String, Long>> splitCounts(UUID id) {
        return records.splitCounts(id);
    }

    /**
     * Revokes what was made from the dataset, crypto-shreds it, then removes it. Its models stop
     * serving and their artifacts go, its jobs are cancelled and their checkpoints go (both
     * before the key, so a service that is down leaves the dataset whole: 503, and a retried
     * delete finishes the work); then once the data key is destroyed no copy of its ciphertext
     * (backups, replicas, a disk sold on) can be read, whatever happens to the rows. Its sealed images go from
     * the blob store after the rows ({@link DeletedDatasets}).
     */
    @Transactional
    public void delete(UUID id) {
        DatasetEntity dataset = repository.findById(id).orElseThrow(() -> DatasetNotFound.forId(id));
        dependents.revoke(id);
        privacy.destroyDataKey(id);
        repository.delete(dataset);
        deleted.add(id);
    }
}
