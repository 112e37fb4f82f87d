package dev.braid.dataset.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

import dev.braid.dataset.catalog.Dataset;
import dev.braid.dataset.crypto.RecordCipher;
import dev.braid.dataset.storage.RecordBlobs;

/**
 * One upload's progress, whatever its format, as a pipeline over the machine's cores. The reading thread parses
 * and validates; each good record is then sealed on a worker (its keyed fingerprint, a look-up for a stored
 * duplicate, its fields encrypted, its image written to the blob store) while the reader goes on; records are
 * committed in batches bounded by count and bytes, each batch as soon as its records are sealed. What is in flight
 * is bounded in bytes, so memory stays flat however large the upload. Rejected records are kept with their line and
 * reason (the first ones by line, and how many in all).
 *
 * <p>Every blob lies under the upload's prefix and every row carries the upload's id; the upload's row, written
 * before anything else, keeps them out of the dataset until {@link #finish}, so a refused upload takes back what
 * it wrote and one that died is found and swept.
 */
final class IngestSession implements AutoCloseable {

    private final Dataset dataset;
    private final Set<String> labels;
    private final RecordCipher cipher;
    private final RecordWriter writer;
    private final RecordBlobs blobs;
    private final Executor workers;
    private final int maxBatchRecords;
    private final long maxBatchBytes;
    private final UUID uploadId = UUID.randomUUID();
    private final Rejections rejections;
    private final Semaphore inFlight;
    private final int inFlightPermits;
    private List<CompletableFuture<SealedRecord>> batch = new ArrayList<>();
    private long batchBytes;
    private final Deque<CompletableFuture<Long>> commits = new ArrayDeque<>();
    private volatile boolean abandoned;
    private final boolean datasetHadRecords;
    private long candidates;
    private long accepted;

    /** In-flight bytes are counted in KiB, so a semaphore's int covers terabytes. */
    private static final int PERMIT_BYTES = 1024;
    /** Batches sealed or being sealed but not yet committed, at most: the database sets the pace beyond that. */
    private static final int MAX_PENDING_COMMITS = 4;

    IngestSession(Dataset dataset, RecordCipher cipher, RecordWriter writer, RecordBlobs blobs, Executor workers,
            Limits limits) {
        this.dataset = dataset;
        this.rejections = new Rejections(limits.maxReportedRejections());
        this.labels = new HashSet<>(dataset.labels());
        this.cipher = cipher;
        this.writer = writer;
        this.blobs = blobs;
        this.workers = workers;
        this.maxBatchRecords = limits.maxBatchRecords();
        this.maxBatchBytes = limits.maxBatchBytes();
        this.inFlightPermits = (int) Math.max(1, limits.maxInFlightBytes() / PERMIT_BYTES);
        this.inFlight = new Semaphore(inFlightPermits);
        this.datasetHadRecords = writer.hasRecords(dataset.id());
    }

    /** How large batches are, how much may be in flight at once, how many rejections are listed. */
    record Limits(int maxBatchRecords, long maxBatchBytes, long maxInFlightBytes, int maxReportedRejections) {
    }

    /** A record ready to insert: sealed, its image already in the blob store (or found to be a duplicate). */
    record SealedRecord(UUID id, byte[] fingerprint, String split, String label, byte[] externalIdCt, byte[] textCt,
            String imageKey, boolean storedBefore) {
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

    RecordBlobs blobs() {
        return blobs;
    }

    /** Told by the heartbeat that the sweep has taken this upload back: nothing more may be written. */
    void abandon() {
        abandoned = true;
    }

    /** Queues the record for sealing; waits while the upload already holds as much in flight as it may. */
    void accept(CandidateRecord record) {
        checkAlive();
        int permits = permits(record);
        inFlight.acquireUninterruptibly(permits);
        CompletableFuture<SealedRecord> sealed;
        try {
            sealed = CompletableFuture.supplyAsync(() -> seal(record), workers);
        }
        catch (RuntimeException ex) {
            inFlight.release(permits);
            throw ex;
        }
        // once sealed, a record holds a few small ciphertexts: its image is in the blob store
        sealed.whenComplete((r, failure) -> inFlight.release(permits));
        batch.add(sealed);
        batchBytes += (long) permits * PERMIT_BYTES;
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

    /** Sends the batch to be committed once its records are sealed; reports a batch that already failed. */
    void flush() {
        if (!batch.isEmpty()) {
            List<CompletableFuture<SealedRecord>> records = batch;
            batch = new ArrayList<>();
            batchBytes = 0;
            candidates += records.size();
            commits.add(CompletableFuture.allOf(records.toArray(CompletableFuture[]::new))
                    .thenApplyAsync(done -> commit(records.stream().map(CompletableFuture::join).toList()), workers));
        }
        while (!commits.isEmpty() && (commits.peekFirst().isDone() || commits.size() > MAX_PENDING_COMMITS)) {
            accepted += join(commits.pollFirst());
        }
    }

    /**
     * Waits for every record in flight, removes what the archive staged, and makes the upload's records part of the
     * dataset, all at once.
     */
    IngestReport finish(IngestReport.Archive archive) {
        flush();
        while (!commits.isEmpty()) {
            accepted += join(commits.pollFirst());
        }
        blobs.delete(RecordBlobs.stagedPrefix(dataset.id(), uploadId));
        writer.complete(uploadId);
        return new IngestReport(accepted, candidates - accepted, rejections.firstByLine(), rejections.total(), archive);
    }

    /**
     * Takes back everything this upload wrote, once nothing of it is in flight: the blobs under its prefix first,
     * then its rows. The upload is refused as a whole.
     */
    void rollback() {
        batch.forEach(IngestSession::await);
        batch.clear();
        commits.forEach(IngestSession::await);
        commits.clear();
        blobs.delete(RecordBlobs.uploadPrefix(dataset.id(), uploadId));
        writer.takeBack(uploadId, false);
    }

    @Override
    public void close() {
        cipher.close();
    }

    private SealedRecord seal(CandidateRecord r) {
        checkAlive();
        byte[] fingerprint = cipher.fingerprint(r.label(), r.text(), r.image());
        String split = CandidateRecord.splitOf(fingerprint);
        UUID id = UUID.randomUUID();
        // a dataset empty when the upload began can only hold a duplicate from this or a concurrent upload: the insert
        // finds those; one that had records is asked first, so a re-upload does not write its images only to remove them
        if (datasetHadRecords && writer.stored(dataset.id(), fingerprint)) {
            return new SealedRecord(id, fingerprint, split, r.label(), null, null, null, true);
        }
        RecordCipher.Binding binding = RecordCipher.Binding.current(id, r.label(), split);
        byte[] externalId = cipher.encrypt(binding, "external_id",
                r.externalId() == null ? null : r.externalId().getBytes(StandardCharsets.UTF_8));
        byte[] text = cipher.encrypt(binding, "text", r.text() == null ? null : r.text().getBytes(StandardCharsets.UTF_8));
        String imageKey = null;
        if (r.image() != null) {
            imageKey = RecordBlobs.recordKey(dataset.id(), uploadId, id);
            blobs.put(imageKey, cipher.encrypt(binding, "image", r.image()));
        }
        return new SealedRecord(id, fingerprint, split, r.label(), externalId, text, imageKey, false);
    }

    /** Inserts the batch; a record that proved a duplicate at the insert has its image blob removed at once. */
    private long commit(List<SealedRecord> records) {
        List<SealedRecord> fresh = records.stream().filter(r -> !r.storedBefore()).toList();
        List<SealedRecord> duplicates = fresh.isEmpty() ? List.of() : writer.write(dataset.id(), uploadId, fresh);
        for (SealedRecord duplicate : duplicates) {
            if (duplicate.imageKey() != null) {
                blobs.delete(duplicate.imageKey());
            }
        }
        return fresh.size() - duplicates.size();
    }

    private void checkAlive() {
        if (abandoned) {
            throw new RecordWriter.UploadAbandoned();
        }
    }

    private int permits(CandidateRecord record) {
        long bytes = 256 + (record.text() == null ? 0 : record.text().length() * 2L)
                + (record.image() == null ? 0 : record.image().length * 2L);
        return (int) Math.min(inFlightPermits, Math.max(1, bytes / PERMIT_BYTES));
    }

    /** The batch's count, or its failure as thrown on the reading thread. */
    private static long join(CompletableFuture<Long> commit) {
        try {
            return commit.join();
        }
        catch (CompletionException ex) {
            if (ex.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (ex.getCause() instanceof Error error) {
                throw error;
            }
            throw ex;
        }
    }

    private static void await(CompletableFuture<?> work) {
        try {
            work.join();
        }
        catch (RuntimeException ignored) {
            // the upload is being taken back; what failed is already reported
        }
    }
}
