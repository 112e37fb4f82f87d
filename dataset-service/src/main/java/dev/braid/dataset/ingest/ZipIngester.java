package dev.braid.dataset.ingest;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

import org.springframework.stereotype.Service;

import dev.braid.common.problem.ApiException;
import dev.braid.dataset.DatasetProperties;
import dev.braid.dataset.catalog.Dataset;

/**
 * Streams a ZIP upload: {@code manifest.jsonl} or {@code manifest.csv} at the root, and the image
 * files it names. Nothing is extracted to disk. Entries are read in whatever order they come:
 * an image after the manifest is paired at once; one before it waits, encrypted, in
 * {@link StagedImages}. A zip bomb or an archive that breaks off half-way is refused as a whole
 * and takes back whatever it had stored.
 */
@Service
class ZipIngester {

    private static final Set<String> MANIFESTS = Set.of("manifest.jsonl", "manifest.csv");

    private final IngestSessions sessions;
    private final NdjsonIngester jsonLines;
    private final RecordValidator validator;
    private final StagedImages staged;
    private final DatasetProperties properties;

    ZipIngester(IngestSessions sessions, NdjsonIngester jsonLines, RecordValidator validator, StagedImages staged,
            DatasetProperties properties) {
        this.sessions = sessions;
        this.jsonLines = jsonLines;
        this.validator = validator;
        this.staged = staged;
        this.properties = properties;
    }

    IngestReport ingest(Dataset dataset, InputStream body) throws IOException {
        try (IngestSession session = sessions.open(dataset)) {
            Upload upload = new Upload(session);
            try {
                read(body, upload);
                return upload.finish();
            }
            catch (ArchiveGuard.ArchiveTooLarge ex) {
                session.rollback();
                throw ex;
            }
            catch (ZipException | EOFException ex) {
                session.rollback();
                throw ApiException.badRequest("corrupt-archive", "The archive is corrupt or cut short"
                        + (upload.entries == 0 ? "" : " after " + upload.entries + " entries") + "; nothing from it was kept");
            }
            finally {
                staged.clear(session.uploadId());
            }
        }
    }

    private void read(InputStream body, Upload upload) throws IOException {
        ArchiveGuard guard = new ArchiveGuard(body, properties.archive());
        ZipInputStream zip = new ZipInputStream(guard.body(), StandardCharsets.UTF_8);
        for (ZipEntry entry; (entry = zip.getNextEntry()) != null;) {
            if (++upload.entries > properties.archive().maxEntries()) {
                throw ArchiveGuard.tooLarge("the archive has more than " + properties.archive().maxEntries() + " entries");
            }
            InputStream content = guard.entry(zip);
            String name = entry.getName();
            if (entry.isDirectory()) {
                content.transferTo(java.io.OutputStream.nullOutputStream());
            }
            else if (!ArchivePaths.isSafe(name)) {
                upload.refused.add(name + ": the name points outside the archive");
                content.transferTo(java.io.OutputStream.nullOutputStream());
            }
            else if (!upload.seen.add(ArchivePaths.normalize(name))) {
                upload.duplicates.add(ArchivePaths.normalize(name));
                content.transferTo(java.io.OutputStream.nullOutputStream());
            }
            else if (MANIFESTS.contains(ArchivePaths.normalize(name))) {
                readManifest(ArchivePaths.normalize(name), content, upload);
            }
            else {
                upload.image(ArchivePaths.normalize(name), content);
            }
        }
        if (upload.entries == 0) {
            throw ApiException.badRequest("not-an-archive", "The body is not a ZIP archive (or an empty one)");
        }
        if (upload.manifest == null) {
            throw ApiException.unprocessable("manifest-missing",
                    "The archive has no manifest.jsonl or manifest.csv at its root; nothing from it was kept");
        }
    }

    private void readManifest(String name, InputStream content, Upload upload) throws IOException {
        if (upload.manifest != null) {
            upload.refused.add(name + ": the archive already has " + upload.manifest + "; only one manifest is read");
            content.transferTo(java.io.OutputStream.nullOutputStream());
            return;
        }
        upload.manifest = name;
        if (name.endsWith(".jsonl")) {
            jsonLines.read(content, upload.session, true, upload::record);
            return;
        }
        try {
            new CsvManifest(content).read(row -> {
                if (row.problem() != null) {
                    upload.session.reject(row.line(), null, row.problem());
                    return;
                }
                try {
                    upload.record(validator.parse(row.line(), row.record(), upload.session.labels(), true));
                }
                catch (RecordValidator.Rejected ex) {
                    upload.session.reject(row.line(), row.record().path("id").isString() ? row.record().path("id").stringValue()
                            : null, ex.getMessage());
                }
            });
        }
        catch (IllegalArgumentException ex) {
            throw ApiException.unprocessable("manifest-unreadable", ex.getMessage() + "; nothing from the archive was kept");
        }
    }

    /** One archive's state while it streams. */
    private final class Upload {

        private final IngestSession session;
        private final Set<String> seen = new HashSet<>();
        private final List<String> duplicates = new ArrayList<>();
        private final List<String> refused = new ArrayList<>();
        private final Map<String, List<RecordValidator.ManifestRecord>> waiting = new HashMap<>();
        private final Set<String> stagedPaths = new HashSet<>();
        private final Set<String> used = new HashSet<>();
        private String manifest;
        private long entries;
        private long unreferenced;

        Upload(IngestSession session) {
            this.session = session;
        }

        /** A manifest record: written now if its image is known, else it waits for the image. */
        void record(RecordValidator.ManifestRecord record) {
            if (record.imagePath() == null) {
                session.accept(record.withImage(record.inlineImage()));
                return;
            }
            if (stagedPaths.contains(record.imagePath())) {
                used.add(record.imagePath());
                StagedImages.Staged image = staged.find(session.uploadId(), record.imagePath()).orElseThrow();
                if (image.reason() != null) {
                    session.reject(record.line(), record.id(), image.reason());
                }
                else {
                    session.accept(record.withImage(session.cipher().decrypt(stagingId(record.imagePath()), "staged",
                            image.ciphertext())));
                }
                return;
            }
            waiting.computeIfAbsent(record.imagePath(), p -> new ArrayList<>()).add(record);
        }

        /** An image file: paired with the records waiting for it, or staged until the manifest arrives. */
        void image(String path, InputStream content) throws IOException {
            long limit = properties.maxImageSize().toBytes();
            byte[] bytes = content.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            String reason = null;
            if (bytes.length > limit) {
                content.transferTo(java.io.OutputStream.nullOutputStream());
                reason = "image '" + RecordValidator.abbreviate(path) + "' is larger than " + properties.maxImageSize().toMegabytes()
                        + " MB";
                bytes = null;
            }
            else {
                try {
                    validator.checkImage(bytes);
                }
                catch (RecordValidator.Rejected ex) {
                    reason = ex.getMessage();
                }
            }
            if (manifest == null) {
                byte[] ciphertext = reason == null ? session.cipher().encrypt(stagingId(path), "staged", bytes) : null;
                staged.stage(session.uploadId(), session.dataset().id(), path, ciphertext, reason);
                stagedPaths.add(path);
                return;
            }
            List<RecordValidator.ManifestRecord> records = waiting.remove(path);
            if (records == null) {
                unreferenced++;
                return;
            }
            for (RecordValidator.ManifestRecord record : records) {
                if (reason != null) {
                    session.reject(record.line(), record.id(), reason);
                }
                else {
                    session.accept(record.withImage(bytes));
                }
            }
        }

        IngestReport finish() {
            waiting.values().forEach(records -> records.forEach(r -> session.reject(r.line(), r.id(),
                    "image '" + RecordValidator.abbreviate(r.imagePath()) + "' is missing from the archive")));
            long unusedStaged = stagedPaths.stream().filter(p -> !used.contains(p)).count();
            return session.finish(new IngestReport.Archive(List.copyOf(duplicates), List.copyOf(refused),
                    unreferenced + unusedStaged));
        }

        private UUID stagingId(String path) {
            return UUID.nameUUIDFromBytes((session.uploadId() + "/" + path).getBytes(StandardCharsets.UTF_8));
        }
    }
}
