package dev.braid.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.braid.model.SyntheticData;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./braid datasets|jobs|models|predict} against the platform: upload with a progress bar, a job followed
 * to its metrics table, deploy and predict, and an exit code for each kind of failure.
 */
class CommandLineTests extends PlatformTest {

    @Test
    void shouldDriveThePlatformFromTheCommandLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("BRAID_URL", platform.gatewayUrl(), "BRAID_API_KEY", acmeKey);
        CliRun created = CliRun.of(env, "--json", "datasets", "create", "cli", "--labels", String.join(",", LABELS));
        assertThat(created.code()).as(created.toString()).isZero();
        String id = Http.JSON.readTree(created.out()).path("id").stringValue();

        // 80 + 8 records: the test split (a tenth, by a keyed fingerprint) is empty in 0.9^88 ≈ 1e-4 of runs, so the
        // metrics table always has rows (with 48 records it was empty in about 1 run in 160)
        Path ndjson = Files.write(dir.resolve("records.ndjson"), records(80));
        CliRun uploaded = CliRun.of(env, "datasets", "upload", id, ndjson.toString());
        assertThat(uploaded.code()).as(uploaded.toString()).isZero();
        assertThat(uploaded.out()).contains("accepted 80, duplicates 0, rejected 0");
        assertThat(uploaded.err()).as("a progress bar, full at the end").contains("uploading records.ndjson [" + "#".repeat(30) + "]");
        CliRun zipped = CliRun.of(env, "datasets", "upload", id, zip(dir.resolve("more.zip"), 8).toString());
        assertThat(zipped.code()).as(zipped.toString()).isZero();
        assertThat(zipped.out()).contains("accepted 8,");
        CliRun shown = CliRun.of(env, "datasets", "get", id);
        assertThat(shown.out()).contains("88 records").contains("LABEL").contains("TRAIN").contains(LABELS.get(0));

        CliRun trained = CliRun.of(env, "jobs", "submit", "--dataset", id, "--epochs", "2", "--modalities", "text",
                "--fine-tune-text", "false", "--wait");
        assertThat(trained.code()).as(trained.toString()).isZero();
        assertThat(trained.err()).contains("training [").contains("epoch 1/2").contains("epoch 2/2").contains("succeeded");
        assertThat(trained.out()).contains("SUCCEEDED").contains("BRANCH").contains("ACCURACY").contains("95% INTERVAL")
                .containsPattern("(?m)^text +\\d\\.\\d{3}").containsPattern("(?m)^fused +\\d\\.\\d{3}");
        String model = trained.out().replaceAll("(?s).*model ([0-9a-f-]{36}).*", "$1");

        assertThat(CliRun.of(env, "models", "list", "--dataset", id).out()).contains(model).contains("no");
        assertThat(CliRun.of(env, "models", "deploy", model).out()).contains("now serves dataset " + id);
        CliRun predicted = CliRun.of(env, "predict", "--dataset", id, "--text", SyntheticData.sample(1, new Random(5)).text());
        assertThat(predicted.code()).as(predicted.toString()).isZero();
        assertThat(LABELS).as("the first line names the label").contains(predicted.out().lines().findFirst().orElseThrow().split(" ")[0]);
        assertThat(predicted.out()).contains("FUSED").contains("TEXT");

        // a script's view: the problem's detail and an exit code for each kind of failure
        CliRun missing = CliRun.of(env, "datasets", "get", java.util.UUID.randomUUID().toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).startsWith("error: ").contains("(HTTP 404, https://braid.dev/problems/");
        assertThat(CliRun.of(env, "predict", "--text", "a text").code()).as("neither --model nor --dataset").isEqualTo(2);
        assertThat(CliRun.of(Map.of("BRAID_URL", "http://127.0.0.1:" + freePort(), "BRAID_API_KEY", "k"), "datasets", "list").code())
                .isEqualTo(3);
        CliRun noKey = CliRun.of(Map.of("BRAID_URL", platform.gatewayUrl(), "BRAID_HOME", dir.toString()), "datasets", "list");
        assertThat(noKey.code()).isEqualTo(2);
        assertThat(noKey.err()).contains("No API key");
    }
}
