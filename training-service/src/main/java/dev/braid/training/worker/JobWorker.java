package dev.braid.training.worker;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.braid.training.TrainingProperties;
import dev.braid.training.job.Attempt;
import dev.braid.training.job.JobExecution;
import dev.braid.training.job.JobStatus;
import dev.braid.training.job.JobWakeups;
import dev.braid.training.job.TrainingJob;

/**
 * Claims jobs from the shared queue, one at a time per instance, and runs them while renewing
 * their lease. An idle worker sleeps until a job is queued (LISTEN/NOTIFY), or at most a poll interval. Several instances on one database share the queue; a job whose worker died is
 * claimed again when its lease runs out.
 */
@Component
class JobWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobWorker.class);

    private final JobExecution jobs;
    private final JobWakeups wakeups;
    private final TrainingProperties.Worker settings;
    private final String workerId = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "job-heartbeat"));
    private final MeterRegistry meters;
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean running;
    private Thread loop;

    JobWorker(JobExecution jobs, JobWakeups wakeups, TrainingProperties properties, MeterRegistry meters) {
        this.meters = meters;
        this.jobs = jobs;
        this.wakeups = wakeups;
        this.settings = properties.worker();
    }

    @Override
    public void start() {
        Gauge.builder("braid.training.running", active, AtomicInteger::get).description("jobs training on this worker now")
                .register(meters);
        if (!settings.enabled()) {
            log.info("Training worker disabled on this instance");
            return;
        }
        running = true;
        loop = thread(this::work, "job-worker");
        loop.start();
        log.info("Training worker {} started", workerId);
        if (System.getenv("MKL_CBWR") == null) {
            log.warn("MKL_CBWR is not set: a job resumed after a crash may end a few float bits away from an uninterrupted run; "
                    + "set MKL_CBWR=AUTO,STRICT (the launcher and the image do) for exact resumes");
        }
    }

    private void work() {
        while (running) {
            try {
                Optional<TrainingJob> claimed = jobs.claim(workerId, settings.lease());
                if (claimed.isEmpty()) {
                    wakeups.await(settings.pollInterval());
                    continue;
                }
                run(claimed.get());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                wakeups.closeListener();
                return;
            }
            catch (RuntimeException ex) {
                log.warn("Job queue poll failed: {}", ex.toString());
                sleepQuietly();
            }
        }
    }

    private void run(TrainingJob job) {
        Attempt control = new Attempt(job, workerId);
        long period = settings.heartbeat().toMillis();
        ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(() -> beat(control), period, period, TimeUnit.MILLISECONDS);
        Timer.Sample sample = Timer.start(meters);
        active.incrementAndGet();
        JobStatus outcome = JobStatus.FAILED;
        try {
            outcome = jobs.run(control);
        }
        finally {
            heartbeat.cancel(false);
            active.decrementAndGet();
            // one attempt of a job on this worker, by the status it left the job in (QUEUED: requeued for another try)
            sample.stop(Timer.builder("braid.training.attempts").description("training attempts on this worker, by outcome")
                    .tag("outcome", outcome == JobStatus.RUNNING ? "lease-lost" : outcome.name().toLowerCase(java.util.Locale.ROOT))
                    .register(meters));
        }
    }

    private void beat(Attempt control) {
        try {
            Optional<Boolean> cancel = jobs.heartbeat(control.job().id(), workerId, settings.lease());
            if (cancel.isEmpty()) {
                log.warn("Lost the lease on job {}; stopping it here", control.job().id());
                control.stop(false);
            }
            else if (cancel.get()) {
                control.stop(true);
            }
        }
        catch (RuntimeException ex) {
            log.warn("Heartbeat for job {} failed: {}", control.job().id(), ex.toString());
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(settings.pollInterval().toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
        heartbeats.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static Thread thread(Runnable work, String name) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        return thread;
    }
}
