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
 * batch; rejected records with their line and reason. Every record carries the upload's id, so a
 * refused upload can take back what it wrote.
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
    private final List<IngestReport.Rejection> rejected = new ArrayList<>();
    private long batchBytes;
    private long candidates;
    private long accepted;

    IngestSession(Dataset dataset, RecordCipher cipher, RecordWriter writer, int maxBatchRecords, long maxBatchBytes) {
        this.dataset = dataset;
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
        rejected.add(new IngestReport.Rejection(line, id, reason));
    }

    boolean hasRejections() {
        return !rejected.isEmpty();
    }

    void flush() {
        if (batch.isEmpty()) {
            return;
        }
        candidates += batch.size();
        accepted += writer.write(dataset.id(), uploadId, batch, cipher);
        batch.clear();
        batchBytes = 0;
    }

    IngestReport finish(IngestReport.Archive archive) {
        flush();
        rejected.sort(java.util.Comparator.comparingLong(IngestReport.Rejection::line));
        return new IngestReport(accepted, candidates - accepted, List.copyOf(rejected), archive);
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
