package dev.braid.training.job;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.braid.common.problem.ServiceUnavailable;
import dev.braid.training.TrainingProperties;

/**
 * A job's progress as server-sent events, read from {@code training.job_event}, so any instance can
 * serve any job's stream (the worker may be another instance). Each event carries its row id, so a
 * client that reconnects with {@code Last-Event-ID} misses nothing; the stream ends once the job is
 * final and every event has been sent. A stream answers at once (with a comment when there is no
 * event yet), and one quiet for the heartbeat interval gets a comment too, which keeps proxies from
 * taking it for dead and finds a client that has gone: its write fails, and the stream's poller and
 * connection go with it. The streams this instance holds open are bounded.
 */
@Component
class JobEventStream {

    private static final Set<JobStatus> FINAL = EnumSet.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED);

    private final JobRepository jobs;
    private final TrainingProperties.Events settings;
    private final AtomicInteger open = new AtomicInteger();
    private final ScheduledExecutorService pollers = Executors.newScheduledThreadPool(2, r -> {
        Thread thread = new Thread(r, "job-events");
        thread.setDaemon(true);
        return thread;
    });

    JobEventStream(JobRepository jobs, TrainingProperties properties) {
        this.jobs = jobs;
        this.settings = properties.events();
    }

    SseEmitter open(TrainingJob job, long lastEventId) {
        if (open.incrementAndGet() > settings.maxStreams()) {
            open.decrementAndGet();
            throw ServiceUnavailable.busy("This training service already serves " + settings.maxStreams()
                    + " event streams; try again shortly");
        }
        SseEmitter emitter = new SseEmitter(settings.maxDuration().toMillis());
        Stream stream = new Stream(job, emitter, lastEventId);
        stream.task.set(pollers.scheduleWithFixedDelay(stream::poll, 0, settings.poll().toMillis(), TimeUnit.MILLISECONDS));
        emitter.onCompletion(stream::close);
        emitter.onTimeout(() -> {
            // the stream's time is up: end it cleanly, and the client reconnects with Last-Event-ID
            stream.close();
            emitter.complete();
        });
        emitter.onError(failure -> stream.close());
        return emitter;
    }

    /** Streams open now. */
    int open() {
        return open.get();
    }

    /** One client's stream: where it is in the job's events, and when it last heard anything. */
    private final class Stream {

        private final TrainingJob job;
        private final SseEmitter emitter;
        private final AtomicLong last;
        private final AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        private final AtomicBoolean closed = new AtomicBoolean();
        /**
         * As if the last write were a heartbeat ago: a stream with no event yet gets a comment at its first poll, so
         * its response starts at once; a proxy waiting for the response (the gateway's response timeout is the time to
         * its first byte) would otherwise give up on a job that is only queued.
         */
        private long lastWrite = System.nanoTime() - settings.heartbeat().toNanos();

        Stream(TrainingJob job, SseEmitter emitter, long lastEventId) {
            this.job = job;
            this.emitter = emitter;
            this.last = new AtomicLong(lastEventId);
        }

        void poll() {
            try {
                // read the status first: a job seen final here has written its last event by the next poll
                boolean done = FINAL.contains(jobs.find(job.tenant(), job.id()).map(TrainingJob::status).orElse(JobStatus.FAILED));
                int sent = 0;
                for (List<JobEvent> batch; !(batch = jobs.events(job.id(), last.get())).isEmpty();) {
                    for (JobEvent event : batch) {
                        emitter.send(SseEmitter.event().id(Long.toString(event.id())).name(event.type())
                                .data(event.data(), MediaType.APPLICATION_JSON));
                        last.set(event.id());
                        sent++;
                    }
                }
                if (sent > 0) {
                    lastWrite = System.nanoTime();
                }
                if (done && sent == 0) {
                    emitter.complete();
                    close();
                }
                else if (System.nanoTime() - lastWrite >= settings.heartbeat().toNanos()) {
                    emitter.send(SseEmitter.event().comment("heartbeat"));
                    lastWrite = System.nanoTime();
                }
            }
            catch (IOException | RuntimeException ex) {
                // the client went away (a failed write), or the database did: either way this stream is over; a client
                // still there reconnects with Last-Event-ID
                emitter.completeWithError(ex);
                close();
            }
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
            ScheduledFuture<?> scheduled = task.get();
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }

    @PreDestroy
    void stop() {
        pollers.shutdownNow();
    }
}
