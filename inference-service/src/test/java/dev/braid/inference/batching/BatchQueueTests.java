package dev.braid.inference.batching;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchQueueTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void shouldCutBatchesAtTheMaximumSizeAndAnswerEachInputInOrder() throws Exception {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch release = new CountDownLatch(1);
        BatchQueue<Integer, Integer> queue = new BatchQueue<>("sizes", batch -> {
            await(release);
            sizes.add(batch.size());
            return batch.stream().map(i -> i * 10).toList();
        }, 4, Duration.ofSeconds(5), 100, meters);

        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            results.addAll(queue.submitAll(List.of(i)));
        }
        release.countDown();

        for (int i = 0; i < 10; i++) {
            assertThat(results.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(i * 10);
        }
        // the first input may run alone (it was taken before the others arrived); after it, batches are full
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
        assertThat(sizes.stream().filter(s -> s == 4).count()).isGreaterThanOrEqualTo(1);
        assertThat(sizes).allSatisfy(s -> assertThat(s).isLessThanOrEqualTo(4));
        assertThat(meters.get("braid.inference.batch.size").summary().count()).isEqualTo(sizes.size());
        queue.close();
    }

    @Test
    void shouldRunAPartialBatchOnceTheOldestInputHasWaitedTheMaximumDelay() throws Exception {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        BatchQueue<Integer, Integer> queue = new BatchQueue<>("delay", batch -> {
            sizes.add(batch.size());
            return batch;
        }, 64, Duration.ofMillis(50), 100, meters);

        long start = System.nanoTime();
        List<CompletableFuture<Integer>> results = queue.submitAll(List.of(1, 2, 3));
        assertThat(results.get(2).get(5, TimeUnit.SECONDS)).isEqualTo(3);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(sizes).containsExactly(3);
        assertThat(waited).as("waited for more inputs, then gave up").isGreaterThanOrEqualTo(45);
        queue.close();
    }

    @Test
    void shouldNotMakeALoneInputWaitForCompanyThatIsNotComing() throws Exception {
        BatchQueue<Integer, Integer> queue = new BatchQueue<>("alone", batch -> batch, 32, Duration.ofSeconds(2), 10, meters);

        long start = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            assertThat(queue.submitAll(List.of(i)).get(0).get(5, TimeUnit.SECONDS)).isEqualTo(i);
        }

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("no 2 s batching delay").isLessThan(1000);
        queue.close();
    }

    @Test
    void shouldRefuseInputsThatDoNotFitAndQueueNoneOfThem() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BatchQueue<Integer, Integer> queue = new BatchQueue<>("full", batch -> {
            await(release);
            return batch;
        }, 1, Duration.ZERO, 3, meters);

        CompletableFuture<Integer> running = queue.submitAll(List.of(0)).get(0);
        Thread.sleep(100); // the worker holds input 0; the queue is empty again
        List<CompletableFuture<Integer>> queued = queue.submitAll(List.of(1, 2));

        assertThatThrownBy(() -> queue.submitAll(List.of(3, 4))).isInstanceOf(BatchQueue.Full.class);
        List<CompletableFuture<Integer>> last = queue.submitAll(List.of(5));
        release.countDown();
        assertThat(running.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(queued.get(1).get(5, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(last.get(0).get(5, TimeUnit.SECONDS)).isEqualTo(5);
        queue.close();
    }

    @Test
    void shouldServeWhatWasQueuedAfterCloseAndTakeNothingNew() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BatchQueue<Integer, Integer> queue = new BatchQueue<>("close", batch -> {
            await(release);
            return batch;
        }, 2, Duration.ZERO, 10, meters);
        List<CompletableFuture<Integer>> queued = queue.submitAll(List.of(1, 2, 3));

        queue.close();
        assertThatThrownBy(() -> queue.submitAll(List.of(4))).isInstanceOf(IllegalStateException.class);
        release.countDown();

        assertThat(queue.awaitDrained(Duration.ofSeconds(5))).isTrue();
        assertThat(queued).allSatisfy(f -> assertThat(f).isCompleted());
    }

    @Test
    void shouldFailEveryInputOfABatchWhoseFunctionFails() {
        BatchQueue<Integer, Integer> queue = new BatchQueue<>("fails", batch -> {
            throw new IllegalStateException("boom");
        }, 8, Duration.ofMillis(20), 10, meters);

        List<CompletableFuture<Integer>> results = queue.submitAll(List.of(1, 2));

        assertThat(results).allSatisfy(f -> assertThat(f).failsWithin(Duration.ofSeconds(5)));
        queue.close();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
