package dev.braid.training.job;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.braid.common.openapi.Problems;
import dev.braid.common.report.JobMetrics;
import dev.braid.common.report.PrivacyReport;

@Validated
@RestController
@RequestMapping("/api/v1/training-jobs")
@Tag(name = "Training jobs", description = "Durable training jobs: queue, progress, events, results")
class TrainingJobController {

    private final JobService jobs;
    private final JobEventStream events;

    TrainingJobController(JobService jobs, JobEventStream events) {
        this.jobs = jobs;
        this.events = events;
    }

    /**
     * DP-SGD settings: noise σ ({@code noiseMultiplier}, default 1.0) or, instead, the ε the job may
     * spend ({@code targetEpsilon}: σ is then the smallest that keeps the job's whole planned
     * spending, its noisy choice of α included, within it); clipping bound C (default 1.0); and the
     * fusion weight: {@code alpha} to fix it (costs no ε), or left out to have it chosen on the
     * validation split by Gaussian report-noisy-max with {@code alphaNoiseMultiplier} (default 5),
     * charged too. The job's test metrics are released noisily, charged as well: each branch's
     * correct and total counts with Gaussian noise of {@code metricsNoiseMultiplier} (default 5)
     * times their sensitivity; 0 releases none.
     */
    @Schema(name = "JobPrivacyRequest")
    record PrivacyRequest(@DecimalMin(value = "0", inclusive = false) @DecimalMax("1000") Double noiseMultiplier,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000") Double targetEpsilon,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000") Double maxGradNorm,
            @DecimalMin("0") @DecimalMax("1") Double alpha,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000") Double alphaNoiseMultiplier,
            @Schema(description = "Noise of the test metrics' release, over their counts' sensitivity (default 5; 0: no test "
                    + "metrics are released)")
            @DecimalMin("0") @DecimalMax("1000") Double metricsNoiseMultiplier) {

        JobService.PrivacyRequest toService() {
            if (noiseMultiplier != null && targetEpsilon != null) {
                throw dev.braid.common.problem.ApiException.unprocessable("noise-or-target",
                        "Give privacy.noiseMultiplier or privacy.targetEpsilon, not both");
            }
            return new JobService.PrivacyRequest(noiseMultiplier, targetEpsilon, maxGradNorm, alpha, alphaNoiseMultiplier,
                    metricsNoiseMultiplier);
        }
    }

    /**
     * Every field but {@code datasetId} may be left to the trainer. A job that is not private stops
     * early ({@code epochs}, default 60, is its most) and keeps each branch's best epoch; a private
     * one runs every epoch it planned (default 30, expected batch 256). {@code learningRate}, when given, is used for
     * both branches; left out, each branch gets its own. {@code modalities}: the branches to train,
     * {@code text} and/or {@code image}; by default both, and for a private job text alone.
     * {@code fineTuneText}: true fine-tunes the text encoder (LoRA adapters on MiniLM's six layers),
     * false keeps it frozen; left out, the trainer decides (see {@code JobRunner}). {@code balanceClasses}:
     * true weights each train record's loss by n / (k · n_c) for its class, so rare classes count as
     * much as common ones; left out or false, the classes as the data has them. Not for private jobs.
     */
    @Schema(name = "SubmitTrainingJobRequest")
    record SubmitJobRequest(@NotNull UUID datasetId, @Min(1) @Max(1000) Integer epochs, @Min(1) @Max(4096) Integer batchSize,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("10") Double learningRate, Long seed,
            @Valid PrivacyRequest privacy,
            @Size(min = 1, max = 2) List<@NotNull @Pattern(regexp = "text|image", message = "must be text or image") String> modalities,
            Boolean fineTuneText, Boolean balanceClasses) {
    }

    @Schema(name = "JobProgress")
    record Progress(int epoch, int epochs, int step, int steps) {
    }

    @Schema(name = "TrainingJob")
    record JobResponse(UUID id, UUID datasetId, JobStatus status, Progress progress, List<String> modalities, Boolean fineTuneText,
            Boolean balanceClasses, @Schema(description = "On the test split; present once the job has succeeded") JobMetrics metrics,
            @Schema(description = "A private job's ε, planned until it has run") PrivacyReport privacy, UUID modelId, String error,
            Instant createdAt, Instant startedAt, Instant finishedAt,
            int attempt) {

        static JobResponse of(TrainingJob j) {
            List<String> modalities = j.trainText() ? j.trainImage() ? List.of("text", "image") : List.of("text") : List.of("image");
            return new JobResponse(j.id(), j.datasetId(), j.status(), new Progress(j.epoch(), j.epochs(), j.step(), j.steps()),
                    modalities, j.fineTuneText(), j.balanceClasses(), j.metrics(), privacyOf(j), j.modelId(), j.error(), j.createdAt(), j.startedAt(), j.finishedAt(),
                    j.attempt());
        }
    }

    /** A private job's ε: planned (reserved) until it has run, then what it was charged, with how. */
    private static PrivacyReport privacyOf(TrainingJob j) {
        if (j.privacyReport() != null) {
            return j.privacyReport();
        }
        if (j.privacy() == null) {
            return null;
        }
        JobPrivacy p = j.privacy();
        return new PrivacyReport(p.plannedEpsilon(), p.delta(), "RESERVED", null, p.sampleRate(), p.noiseMultiplier(),
                p.targetEpsilon(), p.maxGradNorm(), p.steps(), null, p.selectionNoiseMultiplier(), null, null,
                p.metricsNoiseMultiplier());
    }

    @Schema(name = "TrainingJobPage")
    record JobPage(List<JobResponse> items, int page, int size, long total) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(operationId = "submitTrainingJob", summary = "Queue a training job; every field but datasetId may be left to the trainer")
    @Problems({404, 409, 422})
    JobResponse submit(@Valid @RequestBody SubmitJobRequest request) {
        return JobResponse.of(jobs.submit(request.datasetId(), request.epochs(), request.batchSize(), request.learningRate(),
                request.seed() == null ? 7L : request.seed(), request.privacy() == null ? null : request.privacy().toService(),
                request.modalities() == null ? null : java.util.Set.copyOf(request.modalities()), request.fineTuneText(),
                request.balanceClasses()));
    }

    @GetMapping
    @Operation(operationId = "listTrainingJobs", summary = "The tenant's training jobs, oldest first, optionally of one dataset")
    JobPage list(@RequestParam(required = false) UUID datasetId, @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        return new JobPage(jobs.list(datasetId, page, size).stream().map(JobResponse::of).toList(), page, size,
                jobs.count(datasetId));
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getTrainingJob", summary = "A job's state, progress and, once it has succeeded, its metrics")
    @Problems(404)
    JobResponse get(@PathVariable UUID id) {
        return JobResponse.of(jobs.get(id));
    }

    /**
     * Progress and metric events as {@code text/event-stream}; resumes after {@code Last-Event-ID}, or after the
     * {@code after} parameter, which a browser opening a new stream with a renewed token can set where it cannot set
     * the header.
     */
    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(operationId = "streamTrainingJobEvents", summary = "The job's events as a server-sent event stream",
            description = "Events such as `started`, `resumed`, `epoch` (data: epoch, loss, validationAccuracy, ...), "
                    + "`retrying`, `succeeded`, `failed` and `cancelled`, each with an id; a stream reopened with Last-Event-ID "
                    + "(or ?after=) resumes after it. The stream ends when the job does; a quiet stream carries a comment "
                    + "every 15 seconds. A browser's EventSource cannot send a key: it gets a stream token first "
                    + "(createTrainingJobEventToken) and passes it as access_token, and a new token to reconnect after it expires.",
            responses = @ApiResponse(responseCode = "200", description = "The event stream",
                    content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string"))))
    @Parameter(name = "access_token", in = ParameterIn.QUERY, description = "A stream token for this job, instead of the "
            + "Authorization header (read by the gateway, never passed on)", schema = @Schema(type = "string"))
    @Problems(404)
    SseEmitter events(@PathVariable UUID id,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
            @Parameter(description = "Resume after this event id, as Last-Event-ID does; the header wins when both are given")
            @RequestParam(name = "after", required = false) String after) {
        return events.open(jobs.get(id), parseEventId(lastEventId != null ? lastEventId : after));
    }

    private static long parseEventId(String value) {
        try {
            return value == null ? 0 : Math.max(0, Long.parseLong(value.strip()));
        }
        catch (NumberFormatException ex) {
            return 0;
        }
    }

    @PostMapping("/{id}/cancel")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(operationId = "cancelTrainingJob", summary = "Ask a queued or running job to stop; what it spent of ε stays charged")
    @Problems(404)
    JobResponse cancel(@PathVariable UUID id) {
        return JobResponse.of(jobs.cancel(id));
    }
}
