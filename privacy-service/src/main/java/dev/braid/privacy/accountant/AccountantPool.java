package dev.braid.privacy.accountant;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

import dev.braid.privacy.PrivacyProperties;

/**
 * The accountant's own threads and queue, both bounded. Its math is the only thing in this service
 * a caller can make expensive, so it runs here and nowhere else: key unwraps, reservations and
 * commits stay on the web server's threads and never wait behind it, and a full queue is refused at
 * once ({@link AccountantBusy}, 429) rather than growing. One tenant may hold only
 * {@code perTenant} of the places, running or waiting, so a tenant that floods the accountant
 * leaves the rest to everyone else. Each computation gets a {@link Work} meter
 * of the configured limit, and the CPU time it used is recorded ({@code braid.privacy.accountant.cpu}).
 */
@Component
class AccountantPool implements DisposableBean {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final ThreadPoolExecutor executor;
    private final int perTenant;
    private final Map<String, Integer> heldByTenant = new ConcurrentHashMap<>();
    private final long maxWork;
    private final Timer cpu;
    private final Counter refused;

    AccountantPool(PrivacyProperties properties, MeterRegistry meters) {
        PrivacyProperties.Accountant settings = properties.accountant();
        CustomizableThreadFactory threads = new CustomizableThreadFactory("accountant-");
        threads.setDaemon(true);
        this.executor = new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(settings.queue()), threads, new ThreadPoolExecutor.AbortPolicy());
        this.perTenant = settings.perTenant();
        this.maxWork = settings.maxWork();
        this.cpu = Timer.builder("braid.privacy.accountant.cpu").description("CPU time of one accountant computation")
                .register(meters);
        this.refused = Counter.builder("braid.privacy.accountant.refused")
                .description("accountant requests refused because the accountant's queue was full").register(meters);
    }

    /**
     * Runs the tenant's computation on the pool with a fresh meter and waits for its answer. Throws
     * {@link AccountantBusy} when the queue or the tenant's share is full, {@link Work.Exhausted} when
     * the computation needed more than the limit, and whatever else the computation threw.
     */
    <T> T compute(String tenant, Function<Work, T> computation) {
        if (heldByTenant.merge(tenant, 1, Integer::sum) > perTenant) {
            release(tenant);
            refused.increment();
            throw AccountantBusy.tenantShareFull(perTenant);
        }
        Future<T> answer;
        try {
            answer = executor.submit(() -> measured(computation));
        }
        catch (RejectedExecutionException ex) {
            release(tenant);
            refused.increment();
            throw AccountantBusy.queueFull(executor.getMaximumPoolSize(), executor.getQueue().size());
        }
        try {
            return answer.get();
        }
        catch (ExecutionException ex) {
            if (ex.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (ex.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(ex.getCause());
        }
        catch (InterruptedException ex) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the accountant", ex);
        }
        finally {
            release(tenant);
        }
    }

    private void release(String tenant) {
        heldByTenant.computeIfPresent(tenant, (t, held) -> held == 1 ? null : held - 1);
    }

    private <T> T measured(Function<Work, T> computation) {
        long start = THREADS.getCurrentThreadCpuTime();
        try {
            return computation.apply(Work.upTo(maxWork));
        }
        finally {
            cpu.record(THREADS.getCurrentThreadCpuTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** Stops the threads; a computation still waiting to start is cancelled, so its caller is not left waiting. */
    @Override
    public void destroy() {
        executor.shutdownNow().forEach(waiting -> ((Future<?>) waiting).cancel(false));
    }
}
