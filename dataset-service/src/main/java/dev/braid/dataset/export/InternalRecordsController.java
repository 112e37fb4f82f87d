package dev.braid.dataset.export;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.common.problem.ApiException;
import dev.braid.dataset.catalog.DatasetService;

/**
 * Streams a dataset's records, decoded, to the training service as NDJSON, so training never
 * reads this service's tables. Internal: the gateway has no route to {@code /internal/**}; the
 * caller still needs a valid internal token for the dataset's tenant.
 */
@RestController
class InternalRecordsController {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> SPLITS = Set.of("train", "validation", "test");

    private final DatasetService datasets;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    InternalRecordsController(DatasetService datasets, JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.datasets = datasets;
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    @GetMapping(path = "/internal/datasets/{id}/records", produces = "application/x-ndjson")
    ResponseEntity<StreamingResponseBody> records(@PathVariable UUID id, @RequestParam(required = false) String split) {
        datasets.get(id);
        if (split != null && !SPLITS.contains(split)) {
            throw ApiException.badRequest("invalid-split", "split must be train, validation or test");
        }
        StreamingResponseBody body = out -> transactions.executeWithoutResult(status -> stream(id, split, out));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/x-ndjson")).body(body);
    }

    private void stream(UUID id, String split, OutputStream raw) {
        OutputStream out = new BufferedOutputStream(raw, 64 * 1024);
        jdbc.query(con -> {
            var ps = con.prepareStatement("""
                    select id, external_id, label, text, image, split from dataset.record
                    where dataset_id = ? and (?::text is null or split = ?) order by id""");
            ps.setObject(1, id);
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
            try {
                out.write(JSON.writeValueAsBytes(row));
                out.write('\n');
            }
            catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
        try {
            out.flush();
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
