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
}
