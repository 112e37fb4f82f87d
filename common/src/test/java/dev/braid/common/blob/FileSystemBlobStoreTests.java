package dev.braid.common.blob;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSystemBlobStoreTests extends BlobStoreContract {

    @TempDir
    Path root;

    @Override
    BlobStore store() {
        return new FileSystemBlobStore(root.resolve("blobs"));
    }

    @Override
    void assertNothingLeftBehind(BlobStore store) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile).map(Path::getFileName).map(Path::toString))
                    .noneMatch(name -> name.startsWith(".incoming-"));
        }
    }

    @Test
    void shouldNeverTouchAFileOutsideItsRoot() throws IOException {
        BlobStore store = store();
        Files.writeString(root.resolve("outside.txt"), "secret");

        for (String key : new String[] {"../outside.txt", "a/../../outside.txt"}) {
            assertThatThrownBy(() -> store.put(key, new byte[] {1})).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.delete(key)).as(key).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Files.readString(root.resolve("outside.txt"))).isEqualTo("secret");
    }

    /**
     * An upload's prefix deleted (its take-back, the sweep) while its writers still put blobs under it: the delete
     * never fails on what the writers rename or add meanwhile, a writer fails only where its own file was deleted
     * under it, and once they stop, one more delete leaves nothing.
     */
    @Test
    void shouldDeleteAPrefixWhileWritersStillWriteUnderIt() throws Exception {
        BlobStore store = store();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.Queue<Throwable> writerFailures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<Thread> writers = new java.util.ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            Thread thread = new Thread(() -> {
                byte[] content = new byte[4096];
                for (int n = 0; !stop.get(); n++) {
                    try {
                        store.put("records/d/u/" + (n % 3) + "/w" + writer + "-" + n, content);
                        written.incrementAndGet();
                    }
                    catch (Throwable failure) {
                        writerFailures.add(failure);
                    }
                }
            });
            thread.start();
            writers.add(thread);
        }
        try {
            for (int i = 0; i < 400 || written.get() < 200; i++) {
                store.delete("records/d/u"); // must never throw, whatever the writers do meanwhile
            }
        }
        finally {
            stop.set(true);
            for (Thread thread : writers) {
                thread.join();
            }
        }
        assertThat(writerFailures).as("a writer fails only where its own file was deleted under it")
                .allMatch(failure -> failure instanceof java.nio.file.NoSuchFileException);
        store.delete("records/d/u");
        assertThat(Files.exists(root.resolve("blobs/records/d/u"))).as("nothing left once the writers stopped").isFalse();
    }
}
