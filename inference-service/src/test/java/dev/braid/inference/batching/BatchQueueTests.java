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

    /** Long enough that no batch in these tests is ever cut by time unless the test waits for exactly that. */
    private static final Duration NEVER = Duration.ofHours(1);

    /** A bound on waiting for a result that must come; reaching it means the behaviour under test is broken. */
    private static final long PATIENCE_SECONDS = 60;

    @Test
    void shouldCutBatchesAtTheMaximumSizeAndAnswerEachInputInOrder() throws Exception {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BatchQueue<Integer, Integer> queue = new BatchQueue<>("sizes", batch -> {
            busy.countDown();
            await(release);
            sizes.add(batch.size());
            return batch.stream().map(i -> i * 10).toList();
        }, 4, NEVER, 100, meters);

        List<CompletableFuture<Integer>> results = new ArrayList<>(queue.submitAll(List.of(0)));
        await(busy); // input 0 runs alone; the next eight queue up behind it
        for (int i = 1; i < 9; i++) {
            results.addAll(queue.submitAll(List.of(i)));
        }
        release.countDown();

        for (int i = 0; i < 9; i++) {
            assertThat(results.get(i).get(PATIENCE_SECONDS, TimeUnit.SECONDS)).isEqualTo(i * 10);
        }
        // cut by size alone: with an hour's delay a batch short of 4 would never have run
        assertThat(sizes).containsExactly(1, 4, 4);
        assertThat(meters.get("braid.inference.batch.size").summary().count()).isEqualTo(3);
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
        assertThat(results.get(2).get(PATIENCE_SECONDS, TimeUnit.SECONDS)).isEqualTo(3);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(sizes).containsExactly(3);
        assertThat(waited).as("waited for more inputs, then gave up").isGreaterThanOrEqualTo(45);
        queue.close();
    }

    @Test
    void shouldNotMakeALoneInputWaitForCompanyThatIsNotComing() throws Exception {
        // with an hour's delay, an input that waited for company would never be answered
        BatchQueue<Integer, Integer> queue = new BatchQueue<>("alone", batch -> batch, 32, NEVER, 10, meters);

        for (int i = 0; i < 3; i++) {
            assertThat(queue.submitAll(List.of(i)).get(0).get(PATIENCE_SECONDS, TimeUnit.SECONDS)).isEqualTo(i);
        }
        queue.close();
    }

    @Test
    void shouldRefuseInputsThatDoNotFitAndQueueNoneOfThem() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BatchQueue<Integer, Integer> queue = new BatchQueue<>("full", batch -> {
            busy.countDown();
            await(release);
            return batch;
        }, 1, Duration.ZERO, 3, meters);

        CompletableFuture<Integer> running = queue.submitAll(List.of(0)).get(0);
        await(busy); // the worker holds input 0; the queue is empty again
        List<CompletableFuture<Integer>> queued = queue.submitAll(List.of(1, 2));

        assertThatThrownBy(() -> queue.submitAll(List.of(3, 4))).isInstanceOf(BatchQueue.Full.class);
        List<CompletableFuture<Integer>> last = queue.submitAll(List.of(5));
        assertThatThrownBy(() -> queue.submitAll(List.of(6))).isInstanceOf(BatchQueue.Full.class);
        release.countDown();
        assertThat(running.get(PATIENCE_SECONDS, TimeUnit.SECONDS)).isZero();
        assertThat(queued.get(0).get(PATIENCE_SECONDS, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(queued.get(1).get(PATIENCE_SECONDS, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(last.get(0).get(PATIENCE_SECONDS, TimeUnit.SECONDS)).isEqualTo(5);
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

        assertThat(queue.awaitDrained(Duration.ofSeconds(PATIENCE_SECONDS))).isTrue();
        assertThat(queued).allSatisfy(f -> assertThat(f).isCompleted());
    }

    @Test
    void shouldFailEveryInputOfABatchWhoseFunctionFails() {
        BatchQueue<Integer, Integer> queue = new BatchQueue<>("fails", batch -> {
            throw new IllegalStateException("boom");
        }, 8, Duration.ofMillis(20), 10, meters);

        List<CompletableFuture<Integer>> results = queue.submitAll(List.of(1, 2));

        assertThat(results).allSatisfy(f -> assertThat(f).failsWithin(Duration.ofSeconds(PATIENCE_SECONDS)));
        queue.close();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("waited " + PATIENCE_SECONDS + " s for a latch that should have opened");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldKeepServingAfterItsMetersOrABatchThrowAnOutOfMemoryError() throws Exception {
        java.util.concurrent.atomic.AtomicInteger timerFailures = new java.util.concurrent.atomic.AtomicInteger(1);
        SimpleMeterRegistry failing = new SimpleMeterRegistry() {
            @Override
            protected io.micrometer.core.instrument.Timer newTimer(io.micrometer.core.instrument.Meter.Id id,
                    io.micrometer.core.instrument.distribution.DistributionStatisticConfig config,
                    io.micrometer.core.instrument.distribution.pause.PauseDetector pauseDetector) {
                io.micrometer.core.instrument.Timer real = super.newTimer(id, config, pauseDetector);
                return (io.micrometer.core.instrument.Timer) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {io.micrometer.core.instrument.Timer.class}, (proxy, method, args) -> {
                            if (method.getName().equals("record") && args != null && args.length == 2
                                    && timerFailures.getAndDecrement() > 0) {
                                throw new OutOfMemoryError("injected: the queue-time record of the first batch");
                            }
                            try {
                                return method.invoke(real, args);
                            }
                            catch (java.lang.reflect.InvocationTargetException ex) {
                                throw ex.getCause();
                            }
                        });
            }
        };
        java.util.concurrent.atomic.AtomicBoolean modelFails = new java.util.concurrent.atomic.AtomicBoolean();
        BatchQueue<Integer, Integer> queue = new BatchQueue<>("errors", batch -> {
            if (modelFails.getAndSet(false)) {
                throw new OutOfMemoryError("injected: the model ran out of memory");
            }
            return batch;
        }, 4, Duration.ZERO, 100, failing);

        CompletableFuture<Integer> first = queue.submitAll(List.of(1)).get(0);
        assertThatThrownBy(() -> first.get(PATIENCE_SECONDS, TimeUnit.SECONDS)).hasCauseInstanceOf(OutOfMemoryError.class)
                .hasMessageContaining("queue-time");
        modelFails.set(true);
        CompletableFuture<Integer> second = queue.submitAll(List.of(2)).get(0);
        assertThatThrownBy(() -> second.get(PATIENCE_SECONDS, TimeUnit.SECONDS)).hasCauseInstanceOf(OutOfMemoryError.class)
                .hasMessageContaining("model ran out");
        assertThat(queue.submitAll(List.of(3)).get(0).get(PATIENCE_SECONDS, TimeUnit.SECONDS))
                .as("the worker lived through both").isEqualTo(3);
        queue.close();
    }

    @Test
    void shouldRemoveItsMetersOnceClosedAndDrained() throws Exception {
        BatchQueue<Integer, Integer> queue = new BatchQueue<>("unloaded", batch -> batch, 4, Duration.ZERO, 100, meters);
        assertThat(queue.submitAll(List.of(7)).get(0).get(PATIENCE_SECONDS, TimeUnit.SECONDS)).isEqualTo(7);
        assertThat(meters.find("braid.inference.latency").tag("model", "unloaded").timer()).isNotNull();
        // the model loaded again while the old queue drains: both use the same meters, which stay for the newer
        BatchQueue<Integer, Integer> reloaded = new BatchQueue<>("unloaded", batch -> batch, 4, Duration.ZERO, 100, meters);
        queue.close();
        assertThat(queue.awaitDrained(Duration.ofSeconds(PATIENCE_SECONDS))).isTrue();
        assertThat(meters.find("braid.inference.latency").tag("model", "unloaded").timer()).as("still served").isNotNull();
        assertThat(reloaded.submitAll(List.of(8)).get(0).get(PATIENCE_SECONDS, TimeUnit.SECONDS)).isEqualTo(8);
        assertThat(meters.get("braid.inference.batch.size").tag("model", "unloaded").summary().count())
                .as("the reloaded queue records into the registered meters").isEqualTo(2);
        reloaded.close();
        assertThat(reloaded.awaitDrained(Duration.ofSeconds(PATIENCE_SECONDS))).isTrue();
        for (String name : List.of("braid.inference.latency", "braid.inference.queue.time", "braid.inference.batch.size")) {
            assertThat(meters.find(name).tag("model", "unloaded").meters()).as(name).isEmpty();
        }
    }
}
