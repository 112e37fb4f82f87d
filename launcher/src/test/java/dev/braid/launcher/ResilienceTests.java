package dev.braid.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.braid.testing.EmbeddedPostgresExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Processes that die: the supervisor restarts a killed service, and a job whose worker is killed mid-run finishes
 * on another from its last checkpoint, with one model.
 */
class ResilienceTests extends PlatformTest {

    @Test
    void shouldRestartAServiceThatDies() throws Exception {
        Process privacy = platform.process("privacy-service");
        privacy.destroyForcibly().waitFor();
        long deadline = System.nanoTime() + E2ePlatform.START_WAIT.toNanos();
        Http.Response response = null;
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            if (platform.process("privacy-service") != privacy && platform.process("privacy-service").isAlive()) {
                response = gateway.postJson("/api/v1/privacy/accountant", acmeKey, Map.of("delta", 1e-5,
                        "mechanisms", List.of(Map.of("sampleRate", 1.0, "noiseMultiplier", 1.0, "steps", 1))));
                if (response.status() == 200) {
                    break;
                }
            }
        }
        assertThat(platform.restarts("privacy-service")).isEqualTo(1);
        assertThat(response).isNotNull();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("epsilon").asDouble()).isPositive();
    }

    @Test
    void shouldFinishAJobWhoseWorkerIsKilledFromItsLastCheckpointWithOneModel() throws Exception {
        String datasetId = datasetWithRecords("resilience", 240);
        // a second training instance on the same queue, besides the platform's own
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("BRAID_DATABASE_URL", EmbeddedPostgresExtension.jdbcUrl());
        env.put("BRAID_HOME", platform.home().toString());
        env.put("BRAID_INTERNAL_SECRET", E2ePlatform.INTERNAL_SECRET);
        env.put("BRAID_TRAINING_PORT", Integer.toString(freePort()));
        env.put("BRAID_TRAINING_MANAGEMENT_PORT", Integer.toString(freePort()));
        env.put("BRAID_TRAINING_WORKER_LEASE", "12s");
        env.put("BRAID_TRAINING_WORKER_HEARTBEAT", "2s");
        for (String module : List.of("dataset-service", "inference-service", "privacy-service")) {
            String key = module.substring(0, module.indexOf('-')).toUpperCase(java.util.Locale.ROOT);
            env.put("BRAID_" + key + "_URL", "http://127.0.0.1:" + platform.port(module));
        }
        Path jar;
        try (var jars = Files.list(Path.of(System.getProperty("user.dir")).getParent().resolve("training-service/target"))) {
            jar = jars.filter(f -> f.getFileName().toString().endsWith("-exec.jar")).findFirst().orElseThrow();
        }
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx1g",
                "-Dai.djl.offline=true", "-jar", jar.toString());
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(platform.home().resolve("logs/training-service-second.log").toFile());
        Process second = builder.start();
        try {
            awaitHealthy(Integer.parseInt(env.get("BRAID_TRAINING_PORT")));
            // 12 epochs: early stopping cannot end it before epoch 9, long after the kill at epoch 3, and a loaded
            // machine still finishes it well within the wait below (60 epochs did not, beside two busy loops and a build)
            Http.Response submitted = gateway.postJson("/api/v1/training-jobs", acmeKey,
                    Map.of("datasetId", datasetId, "epochs", 12, "batchSize", 8, "learningRate", 0.01, "seed", 3));
            String jobId = submitted.json().path("id").stringValue();

            // progress shows the epoch running; once epoch 3 runs, epoch 2's checkpoint is stored.
            // Then kill -9 whichever instance holds the job.
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (gateway.get("/api/v1/training-jobs/" + jobId, acmeKey).json().path("progress").path("epoch").asInt() < 3) {
                assertThat(System.nanoTime()).as("job reached epoch 3").isLessThan(deadline);
                Thread.sleep(100);
            }
            String owner;
            try (var db = java.sql.DriverManager.getConnection(EmbeddedPostgresExtension.jdbcUrl(), "postgres", "postgres");
                    var query = db.prepareStatement("select lease_owner from training.job where id = ?::uuid")) {
                query.setString(1, jobId);
                var rows = query.executeQuery();
                rows.next();
                owner = rows.getString(1);
            }
            long pid = Long.parseLong(owner.substring(0, owner.indexOf('@')));
            ProcessHandle holder = ProcessHandle.of(pid).orElseThrow();
            holder.destroyForcibly();
            holder.onExit().get();

            JsonNode job = awaitJob(jobId, Duration.ofMinutes(7));
            assertThat(job.path("status").stringValue()).as(job.toString()).isEqualTo("SUCCEEDED");
            assertThat(job.path("attempt").asInt()).isEqualTo(2);
            assertThat(job.path("metrics").path("training").path("fineTuning").path("layers").asInt())
                    .as("left to the trainer: every encoder layer fine-tuned, and kept so across the resume").isEqualTo(6);
            String events = gateway.get("/api/v1/training-jobs/" + jobId + "/events", acmeKey).body();
            String resumed = events.lines().dropWhile(l -> !l.equals("event: resumed") && !l.equals("event:resumed")).skip(1)
                    .filter(l -> l.startsWith("data:")).findFirst().orElseThrow(() -> new AssertionError("no resumed event in " + events));
            assertThat(Http.JSON.readTree(resumed.substring(5)).path("epoch").asInt()).isGreaterThanOrEqualTo(2);
            long models = 0;
            for (JsonNode model : gateway.get("/api/v1/models?size=500", acmeKey).json().path("items")) {
                models += model.path("jobId").stringValue().equals(jobId) ? 1 : 0;
            }
            assertThat(models).as("exactly one model version for the job").isEqualTo(1);
        }
        finally {
            second.destroyForcibly().waitFor();
            // the kill may have hit the platform's own instance: the next class finds it restarted and healthy
            awaitHealthy(platform.port("training-service"));
        }
    }
}
