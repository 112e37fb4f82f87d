package dev.braid.training.job;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A job's progress as server-sent events, read from {@code training.job_event}, so any instance can
 * serve any job's stream (the worker may be another instance). Each event carries its row id, so a
 * client that reconnects with {@code Last-Event-ID} misses nothing; the stream ends once the job is
 * final and every event has been sent.
 */
@Component
class JobEventStream {

    private static final Set<JobStatus> FINAL = EnumSet.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration TIMEOUT = Duration.ofHours(2);

    private final JobRepository jobs;
    private final ScheduledExecutorService pollers = Executors.newScheduledThreadPool(2, r -> {
        Thread thread = new Thread(r, "job-events");
        thread.setDaemon(true);
        return thread;
    });

    JobEventStream(JobRepository jobs) {
        this.jobs = jobs;
    }

    SseEmitter open(TrainingJob job, long lastEventId) {
        SseEmitter emitter = new SseEmitter(TIMEOUT.toMillis());
        AtomicLong last = new AtomicLong(lastEventId);
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        Runnable poll = () -> {
            try {
                // read the status first: a job seen final here has written its last event by the next poll
                boolean done = FINAL.contains(jobs.find(job.tenant(), job.id()).map(TrainingJob::status).orElse(JobStatus.FAILED));
                int sent = 0;
                for (java.util.List<JobEvent> batch; !(batch = jobs.events(job.id(), last.get())).isEmpty();) {
                    for (JobEvent event : batch) {
                        emitter.send(SseEmitter.event().id(Long.toString(event.id())).name(event.type())
                                .data(event.data(), MediaType.APPLICATION_JSON));
                        last.set(event.id());
                        sent++;
                    }
                }
                if (done && sent == 0) {
                    emitter.complete();
                    task.get().cancel(false);
                }
            }
            catch (IOException | IllegalStateException ex) {
                task.get().cancel(false); // the client went away
            }
        };
        task.set(pollers.scheduleWithFixedDelay(poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS));
        emitter.onCompletion(() -> task.get().cancel(false));
        emitter.onTimeout(() -> task.get().cancel(false));
        return emitter;
    }

    @PreDestroy
    void stop() {
        pollers.shutdownNow();
    }
}
