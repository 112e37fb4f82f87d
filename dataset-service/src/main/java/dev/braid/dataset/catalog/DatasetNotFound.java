package dev.braid.dataset.catalog;

import java.util.UUID;

import org.springframework.http.HttpStatus;

import dev.braid.common.problem.ApiException;

/** No dataset with this id for the caller's tenant (another tenant's dataset looks the same: absent). */
public final class DatasetNotFound extends ApiException {

    private DatasetNotFound(UUID id) {
        super(HttpStatus.NOT_FOUND, "dataset-not-found", "Dataset " + id + " does not exist");
    }

    public static DatasetNotFound forId(UUID id) {
        return new DatasetNotFound(id);
    }
}
