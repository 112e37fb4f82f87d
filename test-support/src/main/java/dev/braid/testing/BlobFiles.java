package dev.braid.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

import dev.braid.common.blob.WalkBesideWriters;

/**
 * The files of a file-system blob store under a prefix, listed while its writers may still be at work
 * ({@link WalkBesideWriters}, as the store deletes a prefix): what a test asserts on the list is its own business; the
 * listing never fails for a race.
 */
public final class BlobFiles {

    private BlobFiles() {
    }

    /** Every regular file under {@code prefix}, temporary ones included, as paths relative to {@code root}, sorted. */
    public static List<String> under(Path root, Path prefix) {
        List<String> found = new ArrayList<>();
        try {
            Files.walkFileTree(prefix, new WalkBesideWriters() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()) {
                        found.add(root.relativize(file).toString());
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return found.stream().sorted().toList();
    }

    /** The same without the writers' temporary files ({@code .incoming-*}): the blobs that are there for good. */
    public static List<String> stored(Path root, Path prefix) {
        return under(root, prefix).stream().filter(f -> !Path.of(f).getFileName().toString().startsWith(".incoming-")).toList();
    }
}
