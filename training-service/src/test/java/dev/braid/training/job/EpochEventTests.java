package dev.braid.training.job;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import dev.braid.model.Checkpoint;
import dev.braid.model.EpochSummary;
import dev.braid.model.TrainingListener;
import dev.braid.testing.EmbeddedPostgresExtension;
import dev.braid.testing.ServiceTestClient;
import dev.braid.training.TrainingProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An epoch is reported only once its checkpoint, which records the private steps a failed job is charged for, is
 * stored: a checkpoint that could not be stored (the lease lost) leaves its epoch unreported.
 */
@ExtendWith(EmbeddedPostgresExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {ServiceTestClient.SECRET_PROPERTY, "braid.training.worker.enabled=false"})
class EpochEventTests {

    @Autowired
    JobRepository jobs;

    @Autowired
    TrainingProperties properties;

    @Test
    void shouldReportAnEpochOnlyAfterItsCheckpointIsStored() {
        UUID id = UUID.randomUUID();
        jobs.insert(id, "acme", UUID.randomUUID(), 2, 8, 0.01, 7, 3, null, true, true, null, null);
        Attempt attempt = new Attempt(jobs.find("acme", id).orElseThrow(), "worker-1");
        boolean[] stored = {true};
        CheckpointStore store = new CheckpointStore(jobs, null) {
            @Override
            boolean save(Attempt a, Checkpoint checkpoint) {
                return stored[0];
            }
        };
        TrainingListener listener = new TrainModel(store, jobs, properties).progress(attempt);
        Checkpoint checkpoint = new Checkpoint(new Checkpoint.Header(1, 1, 10, 10, List.of("a"), true, false, null, List.of(), null,
                null, 0), new byte[0]);

        listener.onCheckpoint(checkpoint);
        listener.onEpoch(new EpochSummary(1, null, null, null, null), 2, 10, 20);
        stored[0] = false;
        listener.onCheckpoint(checkpoint);
        listener.onEpoch(new EpochSummary(2, null, null, null, null), 2, 20, 20);

        assertThat(jobs.events(id, 0)).extracting(JobEvent::type).containsExactly("epoch");
        assertThat(attempt.stopRequested()).as("the lost lease stops the attempt").isTrue();
    }
}
