package dev.braid.inference.registry;

import java.util.UUID;

import org.springframework.http.HttpStatus;

import dev.braid.common.problem.ApiException;

/** No such model for the caller's tenant, or no model deployed for a dataset. */
public final class ModelNotFound extends ApiException {

    private ModelNotFound(String detail) {
        super(HttpStatus.NOT_FOUND, "model-not-found", detail);
    }

    public static ModelNotFound forId(UUID id) {
        return new ModelNotFound("Model " + id + " does not exist");
    }

    public static ModelNotFound deployedFor(UUID datasetId) {
        return new ModelNotFound("Dataset " + datasetId + " has no deployed model");
    }
}
