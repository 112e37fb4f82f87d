package dev.braid.dataset.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.springframework.stereotype.Service;

import dev.braid.common.problem.ApiException;
import dev.braid.dataset.DatasetProperties;
import dev.braid.dataset.catalog.Dataset;

/**
 * Streams a ZIP upload's entries, guarded against zip bombs, into an {@link ArchiveUpload};
 * nothing is extracted to disk.
 */
@Service
class ZipIngester {

    private final ArchiveUploads uploads;
    private final DatasetProperties properties;

    ZipIngester(ArchiveUploads uploads, DatasetProperties properties) {
        this.uploads = uploads;
        this.properties = properties;
    }

    IngestReport ingest(Dataset dataset, InputStream body) throws IOException {
        return uploads.ingest(dataset, "archive", upload -> read(body, upload));
    }

    private void read(InputStream body, ArchiveUpload upload) throws IOException {
        ArchiveGuard guard = new ArchiveGuard(body, properties.archive());
        // ZipInputStream reads its source 512 bytes at a time: buffered here, not a million calls into the container per 512 MB
        ZipInputStream zip = new ZipInputStream(new BufferedInputStream(guard.body(), 64 * 1024), StandardCharsets.UTF_8);
        long entries = 0;
        for (ZipEntry entry; (entry = nextEntry(zip)) != null;) {
            if (++entries > properties.archive().maxEntries()) {
                throw ArchiveGuard.tooLarge("the archive has more than " + properties.archive().maxEntries() + " entries");
            }
            InputStream content = guard.entry(zip);
            if (entry.isDirectory()) {
                content.transferTo(OutputStream.nullOutputStream());
            }
            else {
                upload.file(entry.getName(), content);
            }
        }
        if (entries == 0) {
            throw ApiException.badRequest("not-an-archive", "The body is not a ZIP archive (or an empty one)");
        }
    }

    private static ZipEntry nextEntry(ZipInputStream zip) throws IOException {
        try {
            return zip.getNextEntry();
        }
        catch (IllegalArgumentException ex) {
            // the JDK's answer to an entry name that is not valid UTF-8
            throw new ArchiveUploads.MalformedUpload("an entry name is not valid UTF-8");
        }
    }
}
