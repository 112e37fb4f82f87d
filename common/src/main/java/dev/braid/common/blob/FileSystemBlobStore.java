package dev.braid.common.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A blob store on a local or shared (NFS, volume) file system. Writes go to a temporary file in
 * the same directory and are moved into place atomically, so a crash never leaves half an object.
 */
public final class FileSystemBlobStore implements BlobStore {

    private final Path root;

    public FileSystemBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void put(String key, InputStream content) throws IOException {
        write(key, channel -> content.transferTo(Channels.newOutputStream(channel)));
    }

    /** One write call for the whole array, not the 8 KB chunks of a stream copy. */
    @Override
    public void put(String key, byte[] content) throws IOException {
        write(key, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    private interface Writer {
        void write(FileChannel temp) throws IOException;
    }

    /**
     * Writes to a temporary file beside the target, forces it to the device, and moves it into place, then forces
     * the directory: once put returns, the object survives a crash of the machine, not only of the process, so a
     * row committed after it never names a blob that a power cut took.
     */
    private void write(String key, Writer writer) throws IOException {
        Path target = resolve(key);
        Path directory = target.getParent();
        Path temp = createTemp(directory);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                writer.write(channel);
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            force(directory);
        }
        finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * A temporary file in the directory, made first if need be. A prefix deleted meanwhile can take the directory
     * while it is being made or between the two (its delete empties what it listed, then the directory): the
     * directory is made again, a few times, before the write gives up.
     */
    private static Path createTemp(Path directory) throws IOException {
        for (int attempt = 1;; attempt++) {
            try {
                // createDirectories says FileAlreadyExists when the directory it made, or found, is gone when it looks
                Files.createDirectories(directory);
                return Files.createTempFile(directory, ".incoming-", ".tmp");
            }
            catch (NoSuchFileException | java.nio.file.FileAlreadyExistsException ex) {
                if (attempt == 5 || !(ex instanceof NoSuchFileException) && Files.exists(directory) && !Files.isDirectory(directory)) {
                    throw ex;
                }
            }
        }
    }

    private static void force(Path directory) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(directory, StandardOpenOption.READ);
        }
        catch (IOException ex) {
            return; // Windows cannot open a directory to sync it; the rename is as durable as it allows
        }
        try (channel) {
            channel.force(true);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            return Files.newInputStream(resolve(key));
        }
        catch (NoSuchFileException ex) {
            throw new BlobNotFoundException(key);
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key));
    }

    /**
     * Deletes the object, or everything under the prefix, while writers may still be at work under it: a file gone
     * before it is reached (a temporary file renamed, another delete) is gone already, and a directory that gained an
     * entry after it was listed is left with that entry, for a later delete of the prefix to take. Only what was
     * there when listed is deleted for certain; the sweep that deletes an abandoned upload's prefix does so twice,
     * one limit apart, for that reason.
     */
    @Override
    public boolean delete(String key) throws IOException {
        Path target = resolve(key);
        if (!Files.exists(target)) {
            return false;
        }
        Files.walkFileTree(target, new WalkBesideWriters() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            protected void leave(Path directory) throws IOException {
                try {
                    Files.deleteIfExists(directory);
                }
                catch (DirectoryNotEmptyException written) {
                    // a writer put something here after the listing: it stays until the prefix is deleted again
                }
            }
        });
        return true;
    }

    private Path resolve(String key) {
        Path path = root.resolve(BlobStore.checkKey(key)).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("invalid blob key");
        }
        return path;
    }
}
