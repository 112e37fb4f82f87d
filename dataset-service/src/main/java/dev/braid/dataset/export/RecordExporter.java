package dev.braid.dataset.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a dataset's records as NDJSON straight from a server-side cursor, so a dataset of any size
 * streams in constant memory (PostgreSQL only honours the fetch size inside a transaction).
 */
@Component
class RecordExporter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    RecordExporter(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Every record of the dataset, or of one split when {@code split} is given. */
    void write(UUID datasetId, String split, OutputStream raw) {
        OutputStream out = new BufferedOutputStream(raw, 64 * 1024);
        transactions.executeWithoutResult(status -> jdbc.query(con -> {
            var ps = con.prepareStatement("""
                    select id, external_id, label, text, image, split from dataset.record
                    where dataset_id = ? and (?::text is null or split = ?) order by id""");
            ps.setObject(1, datasetId);
            ps.setString(2, split);
            ps.setString(3, split);
            ps.setFetchSize(256);
            return ps;
        }, rs -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", rs.getObject("id", UUID.class).toString());
            row.put("externalId", rs.getString("external_id"));
            row.put("label", rs.getString("label"));
            row.put("text", rs.getString("text"));
            byte[] image = rs.getBytes("image");
            row.put("imageBase64", image == null ? null : Base64.getEncoder().encodeToString(image));
            row.put("split", rs.getString("split"));
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
