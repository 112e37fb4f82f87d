package dev.braid.training.job;

import java.util.UUID;

import org.springframework.http.HttpStatus;

import dev.braid.common.problem.ApiException;

/** No job with this id for the caller's tenant. */
public final class JobNotFound extends ApiException {

    private JobNotFound(UUID id) {
        super(HttpStatus.NOT_FOUND, "training-job-not-found", "Training job " + id + " does not exist");
    }

    public static JobNotFound forId(UUID id) {
        return new JobNotFound(id);
    }
}
