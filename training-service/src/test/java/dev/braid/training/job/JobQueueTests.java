package dev.braid.training.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.braid.common.security.Caller;
import dev.braid.common.security.CallerContext;
import dev.braid.common.security.Role;
import dev.braid.testing.EmbeddedPostgresExtension;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The queue's guarantees, on a real PostgreSQL: each job claimed once, leases that expire, attempts that count. */
@ExtendWith(EmbeddedPostgresExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {ServiceTestClient.SECRET_PROPERTY, "braid.training.worker.enabled=false"})
class JobQueueTests {

    @Autowired
    JobRepository jobs;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JobWakeups wakeups;

    @Autowired
    JobService service;

    @BeforeEach
    void emptyQueue() {
        jdbc.sql("delete from training.job").update();
    }

    @Test
    void shouldHandEachJobToExactlyOneOfManyConcurrentWorkers() throws Exception {
        List<UUID> queued = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            queued.add(queue("acme"));
        }
        Set<UUID> claimed = ConcurrentHashMap.newKeySet();
        List<UUID> duplicates = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService workers = Executors.newFixedThreadPool(6);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            String worker = "worker-" + w;
            done.add(workers.submit(() -> {
                for (Optional<TrainingJob> job; (job = jobs.claim(worker, Duration.ofMinutes(5))).isPresent();) {
                    if (!claimed.add(job.get().id())) {
                        duplicates.add(job.get().id());
                    }
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        workers.shutdown();

        assertThat(duplicates).isEmpty();
        assertThat(claimed).containsExactlyInAnyOrderElementsOf(queued);
    }

    @Test
    void shouldGiveAJobWhoseLeaseExpiredToAnotherWorker() throws Exception {
        UUID id = queue("acme");
        TrainingJob first = jobs.claim("worker-a", Duration.ofMinutes(1)).orElseThrow();
        assertThat(first.attempt()).isEqualTo(1);
        assertThat(jobs.claim("worker-b", Duration.ofMinutes(1))).isEmpty();

        // worker-a stops heart-beating; rather than wait out a lease on the clock, let it run out in the row
        jdbc.sql("update training.job set lease_expires_at = now() - interval '1 second' where id = ?").param(id).update();
        TrainingJob second = jobs.claim("worker-b", Duration.ofMinutes(1)).orElseThrow();

        assertThat(second.id()).isEqualTo(id);
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(jobs.heartbeat(id, "worker-a", Duration.ofMinutes(1))).as("the old holder lost its lease").isEmpty();
        assertThat(jobs.progress(id, "worker-a", 1, 1, 10)).isFalse();
        assertThat(jobs.succeed(id, "worker-a", new dev.braid.common.report.JobMetrics(null, null, null, 0.5, null, null), UUID.randomUUID())).isFalse();
        assertThat(jobs.heartbeat(id, "worker-b", Duration.ofMinutes(1))).contains(false);
    }

    @Test
    void shouldCancelAQueuedJobAtOnceAndAskARunningOneToStop() {
        UUID queuedJob = queue("acme");
        assertThat(jobs.requestCancel("other-tenant", queuedJob)).isFalse();
        assertThat(jobs.requestCancel("acme", queuedJob)).isTrue();
        assertThat(jobs.find("acme", queuedJob).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);

        UUID runningJob = queue("acme");
        jobs.claim("worker-a", Duration.ofMinutes(1)).orElseThrow();
        assertThat(jobs.requestCancel("acme", runningJob)).isTrue();
        assertThat(jobs.heartbeat(runningJob, "worker-a", Duration.ofMinutes(1))).contains(true);
        assertThat(jobs.finish(runningJob, "worker-a", JobStatus.CANCELLED, null)).isTrue();
        assertThat(jobs.requestCancel("acme", runningJob)).as("a finished job cannot be cancelled").isFalse();
    }

    @Test
    void shouldRequeueAfterAFailureAndCountAttempts() {
        UUID id = queue("acme");
        jobs.claim("worker-a", Duration.ofMinutes(1)).orElseThrow();
        assertThat(jobs.requeue(id, "worker-a", "IOException: connection reset")).isTrue();

        TrainingJob again = jobs.claim("worker-b", Duration.ofMinutes(1)).orElseThrow();
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.error()).isEqualTo("IOException: connection reset");
        assertThat(jobs.finish(id, "worker-b", JobStatus.FAILED, "gave up")).isTrue();
        assertThat(jobs.events(id, 0)).extracting(JobEvent::type).containsExactly("started", "retrying", "started", "failed");
        long second = jobs.events(id, 0).get(1).id();
        assertThat(jobs.events(id, second)).extracting(JobEvent::type).containsExactly("started", "failed");
    }

    @Test
    void shouldWakeAnIdleWorkerWhenAJobIsQueuedAnywhere() throws Exception {
        assertThat(wakeups.await(Duration.ofMillis(50))).as("nothing queued: the wait times out").isFalse();
        Thread submitter = new Thread(() -> {
            try {
                Thread.sleep(200);
            }
            catch (InterruptedException ex) {
                return;
            }
            wakeups.notifyQueued(UUID.randomUUID());
        });
        submitter.start();

        assertThat(wakeups.await(Duration.ofMinutes(2))).as("woken by the notification, not the timeout").isTrue();
        submitter.join();
        wakeups.closeListener();
    }

    @Test
    void shouldCancelADeletedDatasetsJobsAndDropEveryCheckpointOfIt() {
        UUID dataset = UUID.randomUUID();
        UUID running = queue("acme", dataset);
        jobs.claim("worker-a", Duration.ofMinutes(1)).orElseThrow();
        assertThat(jobs.saveCheckpoint(running, "worker-a", 1, 10, 0, new byte[] {1})).isTrue();
        UUID queued = queue("acme", dataset);
        UUID otherDataset = queue("acme", UUID.randomUUID());
        UUID otherTenant = queue("globex", dataset);

        int[] cancelled = new int[1];
        CallerContext.runAs(new Caller("acme", Role.MEMBER, "dataset-service", null, java.time.Instant.now().plusSeconds(60)),
                () -> cancelled[0] = service.revokeDataset(dataset));

        assertThat(cancelled[0]).isEqualTo(2);
        assertThat(jobs.find("acme", queued).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(jobs.heartbeat(running, "worker-a", Duration.ofMinutes(1))).as("the running job is asked to stop").contains(true);
        assertThat(jobs.checkpoint(running)).as("its checkpoint stays until it ends").isPresent();
        assertThat(jobs.finish(running, "worker-a", JobStatus.CANCELLED, null)).isTrue();
        assertThat(jobs.checkpoint(running)).as("an ended job keeps no checkpoint").isEmpty();
        assertThat(jobs.find("acme", otherDataset).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(jobs.find("globex", otherTenant).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void shouldStoreALearningRateLeftToTheTrainerAsNone() {
        UUID id = UUID.randomUUID();
        jobs.insert(id, "acme", UUID.randomUUID(), 60, 32, null, 7, 3, null, true, false, null, null);
        UUID frozen = UUID.randomUUID();
        jobs.insert(frozen, "acme", UUID.randomUUID(), 60, 32, null, 7, 3, null, true, false, false, true);

        TrainingJob job = jobs.find("acme", id).orElseThrow();
        assertThat(job.fineTuneText()).as("left to the trainer").isNull();
        assertThat(jobs.find("acme", frozen).orElseThrow().fineTuneText()).as("refused, and remembered as refused").isFalse();
        assertThat(jobs.find("acme", frozen).orElseThrow().balanceClasses()).as("asked for, and remembered").isTrue();
        assertThat(job.balanceClasses()).as("left out").isNull();
        assertThat(job.learningRate()).as("each branch then gets its own rate").isNull();
        assertThat(job.epochs()).isEqualTo(60);
        assertThat(job.trainText()).isTrue();
        assertThat(job.trainImage()).as("a branch left out stays out").isFalse();
    }

    private UUID queue(String tenant) {
        return queue(tenant, UUID.randomUUID());
    }

    private UUID queue(String tenant, UUID dataset) {
        UUID id = UUID.randomUUID();
        jobs.insert(id, tenant, dataset, 1, 8, 0.01, 7, 3, null, true, true, null, null);
        return id;
    }
}
