package dev.braid.dataset.catalog;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.braid.common.security.CallerContext;

/** The catalogue's facade: datasets of the caller's tenant. */
@Service
public class DatasetService {

    private final DatasetRepository repository;

    DatasetService(DatasetRepository repository) {
        this.repository = repository;
    }

    public Dataset create(String name, List<String> labels, Dataset.Privacy privacy) {
        Dataset dataset = new Dataset(UUID.randomUUID(), CallerContext.tenant(), name, List.copyOf(labels), privacy,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
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

    @Transactional
    public void delete(UUID id) {
        if (!repository.delete(CallerContext.tenant(), id)) {
            throw DatasetNotFound.forId(id);
        }
    }
}
