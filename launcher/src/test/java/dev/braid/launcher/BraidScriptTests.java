package dev.braid.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./braid}'s own answers, before it starts anything: its help, and a command it does not know. */
class BraidScriptTests {

    private static final Path SCRIPT = Path.of(System.getProperty("user.dir")).getParent().resolve("braid");

    record Run(int code, String out, String err) {
    }

    @Test
    void shouldPrintItsHelpAndNothingOfItsCode() throws Exception {
        for (String asked : new String[] {"--help", "-h", "help"}) {
            Run help = run(asked);
            assertThat(help.code()).as(asked).isZero();
            assertThat(help.out()).as(asked).startsWith("Braid's local platform").contains("./braid up [-d]")
                    .doesNotContain("set -euo").doesNotContain("#");
        }
        Run unknown = run("frobnicate");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("Unknown command: frobnicate").contains("./braid demo");
        assertThat(unknown.out()).isEmpty();
    }

    private static Run run(String argument) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", SCRIPT.toString(), argument).start();
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
