package dev.braid.dataset.ingest;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

import dev.braid.dataset.DatasetProperties;
import dev.braid.dataset.catalog.Dataset;
import dev.braid.dataset.crypto.DatasetKeys;
import dev.braid.dataset.storage.RecordBlobs;

/**
 * Runs an upload in its {@link IngestSession}, with the dataset's data key fetched for this upload only. Owns the
 * workers every upload seals and writes its records on (sized for blob writes that wait on the network, not only
 * for the cores) and the heartbeat that keeps a live upload's row fresh, so the sweep takes back only uploads whose
 * process has gone, however slowly a live one's client sends.
 */
@Component
class IngestSessions implements DisposableBean {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IngestSessions.class);

    private final DatasetKeys keys;
    private final RecordWriter writer;
    private final RecordBlobs blobs;
    private final DatasetProperties properties;
    private final ExecutorService workers;
    private final ScheduledExecutorService heartbeat;

    IngestSessions(DatasetKeys keys, RecordWriter writer, RecordBlobs blobs, DatasetProperties properties) {
        this.keys = keys;
        this.writer = writer;
        this.blobs = blobs;
        this.properties = properties;
        int threads = properties.ingest().writers();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                daemons("ingest-writer-"));
        pool.allowCoreThreadTimeOut(true);
        this.workers = pool;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(daemons("ingest-heartbeat-"));
    }

    /** What an upload does with its session; it may fail in any way. */
    interface Work {
        IngestReport run(IngestSession session) throws IOException;
    }

    /**
     * Runs one upload as a unit: it becomes part of the dataset only when the work returns. Any failure, whatever it
     * is (a refused body, a client that went away, the database, the blob store or the privacy service failing),
     * takes back everything the upload wrote before it is rethrown; where even that fails, the upload stays
     * invisible and the abandoned-upload sweep removes it.
     */
    IngestReport run(Dataset dataset, Work work) throws IOException {
        IngestSession.Limits limits = new IngestSession.Limits(properties.batchSize(), properties.batchBytes().toBytes(),
                properties.ingest().maxInFlight().toBytes(), properties.maxReportedRejections());
        try (IngestSession session = new IngestSession(dataset, keys.open(dataset.id()), writer, blobs, workers, limits)) {
            writer.begin(dataset.id(), session.uploadId());
            long every = Math.max(100, properties.abandonedUploadAfter().toMillis() / 6);
            ScheduledFuture<?> beat = heartbeat.scheduleWithFixedDelay(() -> beat(session), every, every, TimeUnit.MILLISECONDS);
            try {
                return work.run(session);
            }
            catch (IOException | RuntimeException | Error ex) {
                try {
                    session.rollback();
                }
                catch (RuntimeException rollbackFailed) {
                    ex.addSuppressed(rollbackFailed);
                    log.warn("Upload {} could not be taken back now; it stays invisible and is swept later: {}",
                            session.uploadId(), rollbackFailed.toString());
                }
                throw ex;
            }
            finally {
                beat.cancel(false);
            }
        }
    }

    private void beat(IngestSession session) {
        try {
            if (!writer.touch(session.uploadId())) {
                session.abandon();
            }
        }
        catch (RuntimeException ex) {
            // the database is away: the upload's own writes will fail too; the next beat tries again
            log.debug("Heartbeat of upload {} failed: {}", session.uploadId(), ex.toString());
        }
    }

    @Override
    public void destroy() {
        heartbeat.shutdownNow();
        workers.shutdown();
    }

    private static ThreadFactory daemons(String prefix) {
        CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
        threads.setDaemon(true);
        return threads;
    }
}
