package dev.braid.dataset.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.common.problem.ApiException;
import dev.braid.dataset.DatasetProperties;
import dev.braid.dataset.catalog.Dataset;
import dev.braid.dataset.crypto.DatasetKeys;
import dev.braid.dataset.crypto.RecordCipher;

/**
 * Streams an NDJSON body into the dataset: each line decoded strictly as UTF-8, parsed and
 * validated on its own, good records written in batches as they come, bad ones reported by line.
 * A body in which no line is a JSON record is refused whole with 400 (nothing can have been stored).
 */
@Service
class NdjsonIngester {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RecordValidator validator;
    private final RecordWriter writer;
    private final DatasetKeys keys;
    private final DatasetProperties properties;

    NdjsonIngester(RecordValidator validator, RecordWriter writer, DatasetKeys keys, DatasetProperties properties) {
        this.validator = validator;
        this.writer = writer;
        this.keys = keys;
        this.properties = properties;
    }

    IngestReport ingest(Dataset dataset, InputStream body) throws IOException {
        try (RecordCipher cipher = keys.open(dataset.id())) {
            return ingest(dataset, body, cipher);
        }
    }

    private IngestReport ingest(Dataset dataset, InputStream body, RecordCipher cipher) throws IOException {
        LineReader lines = new LineReader(body, (int) Math.min(Integer.MAX_VALUE - 8, properties.maxRecordLine().toBytes()));
        Set<String> labels = new HashSet<>(dataset.labels());
        List<IngestReport.Rejection> rejected = new ArrayList<>();
        List<CandidateRecord> batch = new ArrayList<>();
        long candidates = 0;
        long accepted = 0;
        long parsed = 0;
        for (LineReader.Line line; (line = lines.next()) != null;) {
            if (line.tooLong()) {
                rejected.add(new IngestReport.Rejection(line.number(), null,
                        "the record is longer than " + properties.maxRecordLine().toMegabytes() + " MB"));
                continue;
            }
            if (isBlank(line.bytes())) {
                continue;
            }
            JsonNode json;
            try {
                json = JSON.readTree(decodeUtf8(line.bytes()));
            }
            catch (CharacterCodingException ex) {
                rejected.add(new IngestReport.Rejection(line.number(), null, "the line is not valid UTF-8"));
                continue;
            }
            catch (JacksonException ex) {
                rejected.add(new IngestReport.Rejection(line.number(), null, "the line is not a valid JSON record"));
                continue;
            }
            parsed++;
            try {
                batch.add(validator.validate(line.number(), json, labels));
            }
            catch (RecordValidator.Rejected ex) {
                String id = json.isObject() && json.path("id").isString() ? json.path("id").stringValue() : null;
                rejected.add(new IngestReport.Rejection(line.number(), id, ex.getMessage()));
            }
            if (batch.size() == properties.batchSize()) {
                candidates += batch.size();
                accepted += writer.write(dataset.id(), batch, cipher);
                batch.clear();
            }
        }
        if (parsed == 0) {
            throw ApiException.badRequest("malformed-records",
                    rejected.isEmpty() ? "The body holds no records" : "The body is not NDJSON: no line is a JSON record");
        }
        if (!batch.isEmpty()) {
            candidates += batch.size();
            accepted += writer.write(dataset.id(), batch, cipher);
        }
        return new IngestReport(accepted, candidates - accepted, rejected);
    }

    private static String decodeUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
