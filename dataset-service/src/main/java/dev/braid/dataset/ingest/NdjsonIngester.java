package dev.braid.dataset.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.common.problem.ApiException;
import dev.braid.dataset.DatasetProperties;

/**
 * Reads JSON Lines: each line decoded strictly as UTF-8 and parsed on its own, so one bad line is
 * one rejected record. Used for NDJSON bodies and for the {@code manifest.jsonl} of archives.
 */
@Service
class NdjsonIngester {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RecordValidator validator;
    private final IngestSessions sessions;
    private final DatasetProperties properties;

    NdjsonIngester(RecordValidator validator, IngestSessions sessions, DatasetProperties properties) {
        this.validator = validator;
        this.sessions = sessions;
        this.properties = properties;
    }

    /** Receives each manifest record that passed the checks needing no image. */
    interface Sink {
        void accept(RecordValidator.ManifestRecord record);
    }

    /** An NDJSON body: records with inline images, written as they come. */
    IngestReport ingest(dev.braid.dataset.catalog.Dataset dataset, InputStream body) throws IOException {
        return sessions.run(dataset, session -> {
            long parsed = read(body, session, false, record -> session.accept(record.withImage(record.inlineImage())));
            if (parsed == 0) {
                throw ApiException.badRequest("malformed-records", session.hasRejections()
                        ? "The body is not NDJSON: no line is a JSON record" : "The body holds no records");
            }
            return session.finish(null);
        });
    }

    /** Reads JSON Lines into the sink, rejecting bad lines in the session; returns how many lines were JSON. */
    long read(InputStream in, IngestSession session, boolean imagePaths, Sink sink) throws IOException {
        LineReader lines = new LineReader(in, (int) Math.min(Integer.MAX_VALUE - 8, properties.maxRecordLine().toBytes()));
        long parsed = 0;
        for (LineReader.Line line; (line = lines.next()) != null;) {
            if (line.tooLong()) {
                session.reject(line.number(), null, "the record is longer than " + properties.maxRecordLine().toMegabytes() + " MB");
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
                session.reject(line.number(), null, "the line is not valid UTF-8");
                continue;
            }
            catch (JacksonException ex) {
                session.reject(line.number(), null, "the line is not a valid JSON record");
                continue;
            }
            parsed++;
            try {
                sink.accept(validator.parse(line.number(), json, session.labels(), imagePaths));
            }
            catch (RecordValidator.Rejected ex) {
                String id = json.isObject() && json.path("id").isString() ? json.path("id").stringValue() : null;
                session.reject(line.number(), id, ex.getMessage());
            }
        }
        return parsed;
    }

    static String decodeUtf8(byte[] bytes) throws CharacterCodingException {
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
