package dev.braid.dataset.ingest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.braid.dataset.catalog.Dataset;
import dev.braid.dataset.crypto.RecordCipher;

/**
 * One upload's progress, whatever its format: good records gathered into batches bounded by count
 * and bytes (so memory stays flat however large the upload) and written one transaction per
 * batch; rejected records with their line and reason (the first ones by line, and how many in
 * all). Every record carries the upload's id and stays out of the dataset until the upload
 * finishes, so a refused upload takes back what it wrote and a half-done one is never seen.
 */
final class IngestSession implements AutoCloseable {

    private final Dataset dataset;
    private final Set<String> labels;
    private final RecordCipher cipher;
    private final RecordWriter writer;
    private final int maxBatchRecords;
    private final long maxBatchBytes;
    private final UUID uploadId = UUID.randomUUID();
    private final List<CandidateRecord> batch = new ArrayList<>();
    private final Rejections rejections;
    private long touchedAt = System.nanoTime();
    private long batchBytes;
    private long candidates;
    private long accepted;

    private static final long KEEP_ALIVE_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);

    IngestSession(Dataset dataset, RecordCipher cipher, RecordWriter writer, int maxBatchRecords, long maxBatchBytes,
            int maxReportedRejections) {
        this.dataset = dataset;
        this.rejections = new Rejections(maxReportedRejections);
        this.labels = new HashSet<>(dataset.labels());
        this.cipher = cipher;
        this.writer = writer;
        this.maxBatchRecords = maxBatchRecords;
        this.maxBatchBytes = maxBatchBytes;
    }

    Dataset dataset() {
        return dataset;
    }

    Set<String> labels() {
        return labels;
    }

    UUID uploadId() {
        return uploadId;
    }

    RecordCipher cipher() {
        return cipher;
    }

    void accept(CandidateRecord record) {
        batch.add(record);
        batchBytes += (record.text() == null ? 0 : record.text().length() * 2L) + (record.image() == null ? 0 : record.image().length);
        if (batch.size() >= maxBatchRecords || batchBytes >= maxBatchBytes) {
            flush();
        }
    }

    void reject(long line, String id, String reason) {
        rejections.add(new IngestReport.Rejection(line, id, reason));
    }

    boolean hasRejections() {
        return rejections.total() > 0;
    }

    void flush() {
        if (batch.isEmpty()) {
            return;
        }
        candidates += batch.size();
        accepted += writer.write(dataset.id(), uploadId, batch, cipher);
        touchedAt = System.nanoTime();
        batch.clear();
        batchBytes = 0;
    }

    /**
     * Tells the sweeper this upload is alive while it writes nothing (an archive whose images come
     * before its manifest); at most once a minute.
     */
    void keepAlive() {
        if (System.nanoTime() - touchedAt > KEEP_ALIVE_NANOS) {
            if (!writer.touch(uploadId)) {
                throw new RecordWriter.UploadAbandoned();
            }
            touchedAt = System.nanoTime();
        }
    }

    /** Writes the last batch and makes the upload's records part of the dataset, all at once. */
    IngestReport finish(IngestReport.Archive archive) {
        flush();
        writer.complete(uploadId);
        return new IngestReport(accepted, candidates - accepted, rejections.firstByLine(), rejections.total(), archive);
    }

    /** Takes back every record this upload wrote: the upload is refused as a whole. */
    void rollback() {
        batch.clear();
        writer.deleteUpload(dataset.id(), uploadId);
    }

    @Override
    public void close() {
        cipher.close();
    }
}
