package dev.braid.inference.registry;

import java.util.UUID;

import org.springframework.http.HttpStatus;

import dev.braid.common.problem.ApiException;

/** 410: the dataset was deleted, so its models were revoked and no longer serve or register. */
public final class DatasetDeleted extends ApiException {

    private DatasetDeleted(String detail) {
        super(HttpStatus.GONE, "dataset-deleted", detail);
    }

    static DatasetDeleted model(UUID id) {
        return new DatasetDeleted("Model " + id + " was revoked when its dataset was deleted; it no longer serves predictions");
    }

    static DatasetDeleted dataset(UUID datasetId) {
        return new DatasetDeleted("Dataset " + datasetId + " was deleted; its models were revoked and serve no predictions");
    }
}
