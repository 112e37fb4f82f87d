package dev.braid.common.blob;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;

/**
 * A walk of a directory tree that writers may change while it runs: an entry gone between being listed and being
 * visited (a temporary file renamed into place, a prefix deleted) is skipped, not an error. What the walk does with
 * what it finds is the subclass's; {@link #leave} is called for each directory once its entries are done.
 */
public abstract class WalkBesideWriters extends SimpleFileVisitor<Path> {

    @Override
    public final FileVisitResult visitFileFailed(Path file, IOException ex) throws IOException {
        if (ex instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
        }
        throw ex;
    }

    @Override
    public final FileVisitResult postVisitDirectory(Path directory, IOException ex) throws IOException {
        if (ex != null && !(ex instanceof NoSuchFileException)) {
            throw ex;
        }
        leave(directory);
        return FileVisitResult.CONTINUE;
    }

    /** After the directory's entries: nothing by default. */
    protected void leave(Path directory) throws IOException {
    }
}
