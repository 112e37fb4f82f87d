package dev.braid.training.remote;

import java.util.UUID;

import org.springframework.http.HttpStatus;

import dev.braid.common.problem.ApiException;

/** 410: the job's dataset was deleted while it ran; its model may never be registered or served. */
public final class DatasetDeleted extends ApiException {

    private DatasetDeleted(String detail) {
        super(HttpStatus.GONE, "dataset-deleted", detail);
    }

    static DatasetDeleted whileTraining(UUID datasetId) {
        return new DatasetDeleted("Dataset " + datasetId + " was deleted while the job ran; its model was not kept");
    }
}
