package dev.braid.inference.batching;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded queue of inputs for one model and the one thread that serves it: it takes the oldest
 * input, gathers more until the batch holds {@code maxBatch} or the oldest has waited
 * {@code maxDelay}, runs the batch function once for all of them and completes each caller's
 * future. It only waits when there is company to wait for: if the last batch held one input and
 * nothing else is queued, the input runs at once, so a lone client pays no batching delay. A full
 * queue refuses at once ({@link Full}), so overload turns into fast 429s rather than growing
 * latency. Records queue time, batch size and end-to-end latency, and removes those meters once the
 * queue is closed and drained, so a model no longer served leaves the scrape; a model loaded again
 * while its old queue drains shares the meters with it (Micrometer hands back the meter registered
 * under the same name and tags), so they go with the last of its queues. Nothing a batch
 * throws, an {@link Error} included, ends the worker: the batch's callers get the failure, and the
 * worker goes on with the next.
 *
 * @param <I> an input
 * @param <O> its output; the batch function returns one per input, in order
 */
public final class BatchQueue<I, O> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatchQueue.class);

    /** The queue has no room for the inputs; nothing of them was queued. */
    public static final class Full extends RuntimeException {

        Full(int capacity) {
            super("the model's queue is full (" + capacity + " inputs)");
        }
    }

    private record Pending<I, O>(I input, CompletableFuture<O> result, long enqueuedAt) {
    }

    private final Function<List<I>, List<O>> batchFunction;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final int capacity;
    private final BlockingQueue<Pending<I, O>> queue;
    private final Thread worker;
    private final Timer queueTime;
    private final Timer latency;
    private final DistributionSummary batchSize;
    private final MeterRegistry meters;
    private final Object admission = new Object();
    /** Per registry, how many live queues use each model's meters. */
    private static final Map<MeterRegistry, Map<String, Integer>> METER_USERS = new WeakHashMap<>();
    private final String name;
    private volatile boolean closed;

    public BatchQueue(String name, Function<List<I>, List<O>> batchFunction, int maxBatch, Duration maxDelay, int capacity,
            MeterRegistry meters) {
        if (maxBatch < 1 || capacity < 1 || maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxBatch and capacity must be positive, maxDelay not negative");
        }
        this.batchFunction = batchFunction;
        this.maxBatch = maxBatch;
        this.maxDelayNanos = maxDelay.toNanos();
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.name = name;
        this.meters = meters;
        synchronized (METER_USERS) {
            METER_USERS.computeIfAbsent(meters, registry -> new HashMap<>()).merge(name, 1, Integer::sum);
            this.queueTime = Timer.builder("braid.inference.queue.time").description("time an input waits before its batch runs")
                    .tag("model", name).publishPercentileHistogram().register(meters);
            this.latency = Timer.builder("braid.inference.latency").description("time from queueing an input to its prediction")
                    .tag("model", name).publishPercentileHistogram().register(meters);
            this.batchSize = DistributionSummary.builder("braid.inference.batch.size").description("inputs per batch run")
                    .tag("model", name).register(meters);
        }
        this.worker = new Thread(this::work, "batch-" + name);
        worker.setDaemon(true);
        worker.start();
    }

    /** Queues all inputs or none; their outputs complete in order. Throws {@link Full} when they do not fit. */
    public List<CompletableFuture<O>> submitAll(List<I> inputs) {
        List<CompletableFuture<O>> results = new ArrayList<>(inputs.size());
        synchronized (admission) {
            if (closed) {
                throw new IllegalStateException("the model has been unloaded");
            }
            if (inputs.size() > queue.remainingCapacity()) {
                throw new Full(capacity);
            }
            long now = System.nanoTime();
            for (I input : inputs) {
                CompletableFuture<O> result = new CompletableFuture<>();
                queue.add(new Pending<>(input, result, now));
                results.add(result);
            }
        }
        return results;
    }

    private void work() {
        try {
            serve();
        }
        finally {
            synchronized (METER_USERS) {
                Map<String, Integer> users = METER_USERS.get(meters);
                if (users.merge(name, -1, Integer::sum) == 0) {
                    users.remove(name);
                    meters.remove(queueTime);
                    meters.remove(latency);
                    meters.remove(batchSize);
                }
            }
        }
    }

    private void serve() {
        List<Pending<I, O>> batch = new ArrayList<>(maxBatch);
        int lastSize = 0;
        while (!closed || !queue.isEmpty()) {
            try {
                Pending<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                boolean alone;
                synchronized (admission) {
                    // a submission adds all its inputs under this lock: once we hold it, the rest of the
                    // first input's submission is queued too, so its inputs are never split by accident
                    alone = lastSize <= 1 && queue.isEmpty();
                }
                long deadline = alone ? 0 : first.enqueuedAt() + maxDelayNanos;
                while (batch.size() < maxBatch) {
                    long wait = deadline - System.nanoTime();
                    Pending<I, O> next = wait <= 0 ? queue.poll() : queue.poll(wait, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                lastSize = batch.size();
                run(batch);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            finally {
                batch.clear();
            }
        }
    }

    /** Runs one batch; whatever it throws, from the model or the meters, goes to its callers, never past here. */
    private void run(List<Pending<I, O>> batch) {
        try {
            long start = System.nanoTime();
            for (Pending<I, O> p : batch) {
                queueTime.record(start - p.enqueuedAt(), TimeUnit.NANOSECONDS);
            }
            batchSize.record(batch.size());
            List<O> outputs = batchFunction.apply(batch.stream().map(Pending::input).toList());
            long end = System.nanoTime();
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(outputs.get(i));
                latency.record(end - batch.get(i).enqueuedAt(), TimeUnit.NANOSECONDS);
            }
        }
        catch (Throwable ex) {
            // an OutOfMemoryError too: what the batch held is garbage now, and this model's only worker must live on
            batch.forEach(p -> p.result().completeExceptionally(ex));
            log.warn("A batch of {} failed: {}", batch.size(), ex.toString());
        }
    }

    /** Stops taking inputs; what is queued is still served, then the worker ends. */
    @Override
    public void close() {
        synchronized (admission) {
            closed = true;
        }
    }

    /** Waits for the worker to serve what was queued before {@link #close()}. */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        worker.join(Math.max(1, timeout.toMillis()));
        return !worker.isAlive();
    }
}
