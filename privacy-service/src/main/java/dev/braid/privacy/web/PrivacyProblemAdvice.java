package dev.braid.privacy.web;

import org.springframework.web.bind.annotation.RestControllerAdvice;

import dev.braid.common.problem.ProblemDetailsAdvice;

/** Every error of the privacy service as an RFC 9457 problem (mapping shared in {@link ProblemDetailsAdvice}). */
@RestControllerAdvice
class PrivacyProblemAdvice extends ProblemDetailsAdvice {
}
