package dev.braid.training.web;

import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.braid.common.problem.ProblemDetailsAdvice;

/** Every error of the training service as an RFC 9457 problem (mapping shared in {@link ProblemDetailsAdvice}). */
@RestControllerAdvice
class TrainingProblemAdvice extends ProblemDetailsAdvice {
}
