package dev.braid.dataset.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
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

    RecordExporter(JdbcTemplate jdbc, TransactionTemplate transactions, RecordBlobs blobs) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.blobs = blobs;
    }

    /** Every record of the dataset, or of one split when {@code split} is given, decrypted. */
    void write(UUID datasetId, String split, RecordCipher cipher, OutputStream raw) {
        OutputStream out = new BufferedOutputStream(raw, 64 * 1024);
        transactions.executeWithoutResult(status -> jdbc.query(con -> {
            var ps = con.prepareStatement("""
                    select id, ad_version, external_id, external_id_ct, label, text_ct, image_ct, image_blob, split from dataset.record r
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
            String imageKey = rs.getString("image_blob");
            byte[] image = cipher.decrypt(binding, "image", imageKey != null ? blobs.read(imageKey) : rs.getBytes("image_ct"));
            byte[] externalId = cipher.decrypt(binding, "external_id", rs.getBytes("external_id_ct"));
            ExportedRecord row = new ExportedRecord(id,
                    externalId != null ? new String(externalId, StandardCharsets.UTF_8) : rs.getString("external_id"),
                    rs.getString("label"), text == null ? null : new String(text, StandardCharsets.UTF_8),
                    image == null ? null : Base64.getEncoder().encodeToString(image), rs.getString("split"));
            write(out, JSON.writeValueAsBytes(row));
        }));
        try {
            out.flush();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
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
