package dev.braid.dataset.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.common.internalapi.DatasetRecordsApi.ExportedRecord;
import dev.braid.dataset.crypto.RecordCipher;
import dev.braid.dataset.storage.RecordBlobs;

/**
 * Writes a dataset's records as NDJSON, decrypted, straight from a server-side cursor, so a dataset
 * of any size streams in constant memory (PostgreSQL only honours the fetch size inside a transaction). A record's
 * image is read from the blob store by the key its row names (or, for a row written before images left the
 * database and not yet moved, from the row).
 */
@Component
class RecordExporter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final RecordBlobs blobs;
    private final ExecutorService readers;

    /** Images read ahead of the one being written, per export: bounded, as each may be as large as an image may be. */
    private static final int READ_AHEAD = 8;

    RecordExporter(JdbcTemplate jdbc, TransactionTemplate transactions, RecordBlobs blobs) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.blobs = blobs;
        CustomizableThreadFactory threads = new CustomizableThreadFactory("export-reader-");
        threads.setDaemon(true);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(16, 16, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), threads);
        pool.allowCoreThreadTimeOut(true);
        this.readers = pool;
    }

    @PreDestroy
    void stop() {
        readers.shutdownNow();
    }

    /**
     * Every record of the dataset, or of one split when {@code split} is given, decrypted. Images are fetched a few
     * records ahead, in parallel, and written in order: a blob store across a network answers each read after a round
     * trip, which one read at a time would pay per record.
     */
    void write(UUID datasetId, String split, RecordCipher cipher, OutputStream raw) {
        OutputStream out = new BufferedOutputStream(raw, 64 * 1024);
        Deque<Pending> ahead = new ArrayDeque<>();
        try {
            transactions.executeWithoutResult(status -> jdbc.query(con -> {
                var ps = con.prepareStatement("""
                        select id, ad_version, external_id, external_id_ct, label, text_ct, image_ct, image_blob, split
                        from dataset.record r
                        where dataset_id = ? and (?::text is null or split = ?)
                          and not exists (select 1 from dataset.upload u where u.id = r.upload_id)
                        order by id""");
                ps.setObject(1, datasetId);
                ps.setString(2, split);
                ps.setString(3, split);
                ps.setFetchSize(256);
                return ps;
            }, rs -> {
                UUID id = rs.getObject("id", UUID.class);
                RecordCipher.Binding binding = new RecordCipher.Binding(id, rs.getInt("ad_version"), rs.getString("label"),
                        rs.getString("split"));
                byte[] text = cipher.decrypt(binding, "text", rs.getBytes("text_ct"));
                byte[] externalId = cipher.decrypt(binding, "external_id", rs.getBytes("external_id_ct"));
                String imageKey = rs.getString("image_blob");
                byte[] inRow = rs.getBytes("image_ct");
                CompletableFuture<byte[]> image = imageKey == null ? CompletableFuture.completedFuture(inRow)
                        : CompletableFuture.supplyAsync(() -> blobs.read(imageKey), readers);
                ahead.add(new Pending(binding, externalId != null ? new String(externalId, StandardCharsets.UTF_8)
                        : rs.getString("external_id"), text == null ? null : new String(text, StandardCharsets.UTF_8), image));
                if (ahead.size() > READ_AHEAD) {
                    write(out, ahead.poll(), cipher);
                }
            }));
            while (!ahead.isEmpty()) {
                write(out, ahead.poll(), cipher);
            }
            out.flush();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        finally {
            ahead.forEach(pending -> pending.image().cancel(false));
        }
    }

    /** A record read from its row, its image still on the way. */
    private record Pending(RecordCipher.Binding binding, String externalId, String text, CompletableFuture<byte[]> image) {
    }

    private static void write(OutputStream out, Pending record, RecordCipher cipher) {
        byte[] image;
        try {
            image = cipher.decrypt(record.binding(), "image", record.image().join());
        }
        catch (CompletionException ex) {
            throw ex.getCause() instanceof RuntimeException cause ? cause : ex;
        }
        ExportedRecord row = new ExportedRecord(record.binding().recordId(), record.externalId(), record.binding().label(),
                record.text(), image == null ? null : Base64.getEncoder().encodeToString(image), record.binding().split());
        write(out, JSON.writeValueAsBytes(row));
    }

    private static void write(OutputStream out, byte[] line) {
        try {
            out.write(line);
            out.write('\n');
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
