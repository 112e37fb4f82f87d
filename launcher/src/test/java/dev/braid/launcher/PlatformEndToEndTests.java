package dev.braid.launcher;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.web.client.HttpClientErrorException;
import tools.jackson.databind.JsonNode;

import dev.braid.client.model.ApiKey;
import dev.braid.client.model.BatchPredictionRequest;
import dev.braid.client.model.BatchPredictionResponse;
import dev.braid.client.model.BranchMetrics;
import dev.braid.client.model.ClassMetrics;
import dev.braid.client.model.ConfusionCell;
import dev.braid.client.model.CreateApiKeyRequest;
import dev.braid.client.model.CreateDatasetRequest;
import dev.braid.client.model.Dataset;
import dev.braid.client.model.EpsilonRequest;
import dev.braid.client.model.EventStreamToken;
import dev.braid.client.model.IngestReport;
import dev.braid.client.model.JobMetrics;
import dev.braid.client.model.Mechanism;
import dev.braid.client.model.Model;
import dev.braid.client.model.Prediction;
import dev.braid.client.model.PredictionInput;
import dev.braid.client.model.PredictionRequest;
import dev.braid.client.model.PrivacyBudget;
import dev.braid.client.model.PrivacyReport;
import dev.braid.client.model.SubmitTrainingJobRequest;
import dev.braid.client.model.TrainingChoices;
import dev.braid.client.model.TrainingJob;

import dev.braid.common.security.InternalTokenCodec;
import dev.braid.common.security.Role;
import dev.braid.model.SyntheticData;
import dev.braid.testing.EmbeddedPostgresExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole platform as a user meets it: the launcher starts the gateway and the four services
 * as processes against one PostgreSQL, and every request below is real HTTP through the gateway
 * (or, for the negative cases, straight at a service port).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class PlatformEndToEndTests {

    private static final String ADMIN_KEY = "e2e-bootstrap-admin-key";
    static final List<String> LABELS = SyntheticData.LABELS;

    static Platform platform;
    static Http gateway;
    static String acmeKey;
    static String globexKey;
    static String datasetId;
    static String modelId;
    static String jobId;

    @BeforeAll
    static void startPlatform() throws Exception {
        // under target/, so the services' logs are there to read after a failure and go with mvn clean
        Path home = Files.createDirectories(Path.of("target", "e2e-home")).toAbsolutePath();
        Files.createDirectories(home);
        home = Files.createTempDirectory(home, "run-");
        Map<String, String> env = new HashMap<>();
        env.put("BRAID_ROOT", Path.of(System.getProperty("user.dir")).getParent().toString());
        env.put("BRAID_HOME", home.toString());
        env.put("BRAID_DATABASE_URL", EmbeddedPostgresExtension.jdbcUrl());
        env.put("BRAID_DATABASE_USER", "postgres");
        env.put("BRAID_DATABASE_PASSWORD", "postgres");
        env.put("BRAID_ADMIN_KEY", ADMIN_KEY);
        env.put("BRAID_INTERNAL_SECRET", "e2e-internal-secret-long-enough-for-hmac");
        env.put("BRAID_GATEWAY_RATELIMIT_BURST", "60");
        env.put("BRAID_GATEWAY_RATELIMIT_REQUESTSPERSECOND", "20");
        env.put("BRAID_GATEWAY_MAXBODYSIZE", "2MB");
        env.put("BRAID_GATEWAY_MAXUPLOADSIZE", "4MB");
        env.put("BRAID_CORS_ORIGINS", "https://console.example");
        // short leases, so the kill -9 test sees a dead worker's job taken over within seconds; still six heartbeats
        // long, so a worker slowed by a loaded machine does not lose its job to the other before the kill
        env.put("BRAID_TRAINING_WORKER_LEASE", "12s");
        env.put("BRAID_TRAINING_WORKER_HEARTBEAT", "2s");
        // a reconciler that looks every second, and takes a reservation 5 s without a job as orphaned
        env.put("BRAID_TRAINING_RECONCILE_INTERVAL", "1s");
        env.put("BRAID_TRAINING_RECONCILE_RESERVATIONGRACE", "5s");
        for (String module : PlatformConfig.MODULES) {
            String key = module.substring(0, module.indexOf('-')).toUpperCase(java.util.Locale.ROOT);
            env.put("BRAID_" + key + "_PORT", Integer.toString(freePort()));
            env.put("BRAID_" + key + "_MANAGEMENT_PORT", Integer.toString(freePort()));
        }
        platform = Platform.start(env);
        gateway = new Http(platform.gatewayUrl());
        acmeKey = createKey("acme", "member");
        globexKey = createKey("globex", "member");
    }

    @AfterAll
    static void stopPlatform() {
        if (platform == null) {
            return;
        }
        List<Process> processes = new ArrayList<>();
        for (String module : PlatformConfig.MODULES) {
            processes.add(platform.process(module));
        }
        platform.close();
        assertThat(processes).allSatisfy(p -> assertThat(p.isAlive()).isFalse());
    }

    @Test
    @Order(1)
    void shouldAnswerHealthWithoutAKeyAndNothingElse() {
        Http.Response health = gateway.get("/actuator/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").stringValue()).isEqualTo("UP");

        Http.Response noKey = gateway.get("/api/v1/datasets", null);
        assertThat(noKey.status()).isEqualTo(401);
        assertThat(noKey.header("Content-Type")).startsWith("application/problem+json");
        assertThat(noKey.json().path("type").stringValue()).endsWith("/unauthenticated");

        assertThat(gateway.get("/api/v1/datasets", "not-a-key").status()).isEqualTo(401);
        assertThat(gateway.get("/api/v1/datasets", ADMIN_KEY).status()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void shouldKeepKeyManagementToAdmins() {
        Http.Response refused = gateway.postJson("/api/v1/admin/api-keys", acmeKey, Map.of("tenant", "acme", "role", "admin"));
        assertThat(refused.status()).isEqualTo(403);
        Http.Response invalid = gateway.postJson("/api/v1/admin/api-keys", ADMIN_KEY, Map.of("tenant", "Not A Tenant!", "role", "member"));
        assertThat(invalid.status()).isEqualTo(422);
        Http.Response listed = gateway.get("/api/v1/admin/api-keys?tenant=acme", ADMIN_KEY);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().path("items").get(0).has("key")).isFalse();

        // another tenant's admin, thinking like an attacker: mint, list, revoke across the tenant line
        String acmeAdmin = createKey("acme", "admin");
        assertThat(gateway.postJson("/api/v1/admin/api-keys", acmeAdmin, Map.of("tenant", "default", "role", "admin")).status())
                .isEqualTo(403);
        assertThat(gateway.postJson("/api/v1/admin/api-keys", acmeAdmin, Map.of("role", "operator")).status()).isEqualTo(403);
        assertThat(gateway.get("/api/v1/admin/api-keys?tenant=globex", acmeAdmin).status()).isEqualTo(403);
        String globexKeyId = gateway.get("/api/v1/admin/api-keys?tenant=globex", ADMIN_KEY).json().path("items").get(0).path("id")
                .stringValue();
        assertThat(gateway.delete("/api/v1/admin/api-keys/" + globexKeyId, acmeAdmin).status()).isEqualTo(404);
        assertThat(gateway.get("/api/v1/datasets", globexKey).status()).as("globex's key still works").isEqualTo(200);
        assertThat(gateway.get("/api/v1/admin/api-keys", acmeAdmin).json().path("items").findValuesAsString("tenant"))
                .allMatch("acme"::equals);
        assertThat(gateway.get("/api/v1/admin/metrics/inference", acmeAdmin).status()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void shouldRefusePathsThatCouldResolveToInternalEndpoints() {
        for (String path : List.of("/api/v1/privacy/%2e%2e/%2e%2e/%2e%2e/internal/keys", "/api/v1/privacy/..;/..;/..;/internal/keys",
                "/api/v1/privacy/../../../internal/keys", "/api/v1/datasets/..%2f..%2f..%2finternal%2fdatasets",
                "/api/v1/privacy/..%5c..%5c..%5cinternal%5ckeys", "/api/v1/privacy/%252e%252e/%252e%252e/internal/keys",
                "/api/v1/models/x;/../../../internal/models")) {
            Http.Response refused = gateway.get(path, ADMIN_KEY);
            assertThat(refused.status()).as(path).isEqualTo(400);
            assertThat(refused.json().path("type").stringValue()).as(path).endsWith("/invalid-path");
        }
    }

    @Test
    @Order(3)
    void shouldRunTheThinPathFromDatasetToPredictionThroughTheGeneratedClient() throws Exception {
        BraidApi acme = BraidApi.of(platform.gatewayUrl(), acmeKey);
        Dataset created = acme.datasets().createDataset(new CreateDatasetRequest().name("e2e").labels(LABELS));
        datasetId = created.getId().toString();
        assertThat(created.getRecordCount()).isZero();

        IngestReport ingested = acme.datasets().uploadRecords(created.getId(), new ByteArrayResource(records(240)));
        assertThat(ingested.getAccepted()).isEqualTo(240);
        assertThat(ingested.getRejected()).isEmpty();
        assertThat(acme.datasets().getDataset(created.getId()).getSplits()).containsOnlyKeys("train", "validation", "test");

        // given settings are kept, and early stopping still ends a job that stops improving (epochs is a ceiling);
        // the defaults are for real data sets: on these 240 records they fuse to about 0.96, too little for the probe
        // below, and the fine-tuned encoder got the probe wrong in 1 of 5 clean-clone runs (the splits follow the
        // records' random ids), so this job keeps the encoder frozen; the kill test below runs the fine-tuning default
        TrainingJob submitted = acme.jobs().submitTrainingJob(new SubmitTrainingJobRequest().datasetId(created.getId()).epochs(12)
                .batchSize(16).learningRate(0.01).seed(7L).fineTuneText(false).balanceClasses(true));
        assertThat(submitted.getFineTuneText()).as("refused, and answered back as refused").isFalse();
        assertThat(submitted.getBalanceClasses()).as("asked for, and answered back").isTrue();
        assertThat(submitted.getStatus()).isEqualTo(TrainingJob.StatusEnum.QUEUED);
        jobId = submitted.getId().toString();

        TrainingJob job = acme.awaitJob(submitted.getId(), Duration.ofMinutes(5));
        assertThat(job.getStatus()).as(job.toString()).isEqualTo(TrainingJob.StatusEnum.SUCCEEDED);
        JobMetrics metrics = job.getMetrics();
        TrainingChoices training = metrics.getTraining();
        int epochs = training.getEpochs();
        assertThat(epochs).as("at most the ceiling, at least the patience").isBetween(9, 12);
        assertThat(job.getProgress().getEpoch()).isEqualTo(epochs);
        assertThat(training.getCurve()).hasSize(epochs);
        assertThat(training.getTextEpoch()).isBetween(1, epochs);
        assertThat(training.getImageEpoch()).isBetween(1, epochs);
        assertThat(training.getTextLearningRate()).isEqualTo(0.01);
        assertThat(training.getImageLearningRate()).isEqualTo(0.01);
        assertThat(training.getBatchSize()).isEqualTo(16);
        assertThat(training.getFineTuning()).as("a frozen encoder, as asked").isNull();
        // the frozen head, fit again on train and validation (every record but the test split's) for the epochs it kept
        assertThat(training.getTextRefit().getEpochs()).isEqualTo(training.getTextEpoch());
        assertThat(training.getTextRefit().getRecords()).isEqualTo(240 - metrics.getText().getExamples());
        // balanced weights n / (k · n_c): these four labels come in nearly equal numbers, so each weight is near 1
        assertThat(training.getClassWeights()).containsOnlyKeys(LABELS);
        assertThat(training.getClassWeights().values()).allSatisfy(weight -> assertThat(weight).isBetween(0.5, 2.0));
        BranchMetrics fused = metrics.getFused();
        assertThat(fused.getAccuracy()).isGreaterThan(metrics.getText().getAccuracy());
        assertThat(fused.getAccuracyInterval95().get(0)).isLessThanOrEqualTo(fused.getAccuracy());
        assertThat(fused.getAccuracyInterval95().get(1)).isGreaterThanOrEqualTo(fused.getAccuracy());
        assertThat(fused.getPerClass().values().stream().mapToLong(ClassMetrics::getSupport).sum())
                .as("per-class support covers the test split").isEqualTo(fused.getExamples());
        assertThat(fused.getConfusion().stream().mapToLong(ConfusionCell::getCount).sum()).isEqualTo(fused.getExamples());
        assertThat(job.getPrivacy()).as("not a private job").isNull();
        modelId = job.getModelId().toString();
        assertThat(gateway.get("/api/v1/training-jobs/" + jobId, globexKey).status()).isEqualTo(404);

        String events = acme.jobs().streamTrainingJobEvents(job.getId(), null, null);
        List<String> types = events.lines().filter(l -> l.startsWith("event:")).map(l -> l.substring(6).strip()).toList();
        assertThat(types).startsWith("started").endsWith("succeeded");
        assertThat(types.stream().filter("epoch"::equals).count()).isEqualTo(epochs);
        String fifthId = events.lines().filter(l -> l.startsWith("id:")).skip(4).findFirst().orElseThrow().substring(3).strip();
        String resumed = acme.jobs().streamTrainingJobEvents(job.getId(), fifthId, null);
        assertThat(resumed.lines().filter(l -> l.startsWith("event:")).count()).isEqualTo(types.size() - 5);

        Model model = acme.models().getModel(job.getModelId());
        assertThat(model.getJobId()).isEqualTo(job.getId());
        assertThat(model.getDeployed()).isFalse();
        assertThat(model.getMetrics()).isEqualTo(metrics);
        assertThat(acme.models().deployModel(job.getModelId()).getDeployed()).isTrue();
        assertThat(acme.models().listModels(created.getId(), 0, 50).getItems()).extracting(Model::getId).containsExactly(job.getModelId());

        SyntheticData.Sample probe = SyntheticData.sample(2, new Random(123)); // red-beta
        Prediction both = acme.predictions().predict(new PredictionRequest().datasetId(created.getId()).text(probe.text())
                .imageBase64(png(probe.image())));
        assertThat(both.getLabel()).isEqualTo("red-beta");
        assertThat(both.getModelId()).isEqualTo(job.getModelId());
        assertThat(both.getModalities().getText()).isNotNull();
        assertThat(both.getModalities().getImage()).isNotNull();
        assertThat(both.getAlpha()).isBetween(0.0, 1.0);

        Prediction textOnly = acme.predictions().predict(new PredictionRequest().modelId(job.getModelId()).text(probe.text()));
        assertThat(textOnly.getModalities().getImage()).isNull();
        assertThat(textOnly.getLabel()).isIn("red-beta", "blue-beta");

        Prediction imageOnly = acme.predictions().predict(new PredictionRequest().datasetId(created.getId())
                .imageBase64(png(probe.image())));
        assertThat(imageOnly.getModalities().getText()).isNull();
        assertThat(imageOnly.getLabel()).as("the image alone tells red").isIn("red-alpha", "red-beta");
        assertThat(imageOnly.getProbabilities()).isEqualTo(imageOnly.getModalities().getImage().getProbabilities());

        BatchPredictionResponse batch = acme.predictions().predictBatch(new BatchPredictionRequest().modelId(job.getModelId())
                .inputs(List.of(new PredictionInput().text(probe.text()), new PredictionInput().imageBase64(png(probe.image())))));
        assertThat(batch.getResults()).hasSize(2);
        assertThat(batch.getResults().get(0).getProbabilities()).isEqualTo(textOnly.getProbabilities());

        // errors reach the generated client as the problem the document promises
        assertThatThrownBy(() -> acme.predictions().predict(new PredictionRequest().modelId(job.getModelId())))
                .isInstanceOfSatisfying(HttpClientErrorException.class, ex -> {
                    assertThat(ex.getStatusCode().value()).isEqualTo(422);
                    assertThat(ex.getResponseHeaders().getContentType().toString()).startsWith("application/problem+json");
                });
        assertThatThrownBy(() -> acme.predictions().predict(new PredictionRequest().modelId(job.getModelId())
                .imageBase64("hello".getBytes())))
                .isInstanceOfSatisfying(HttpClientErrorException.class, ex -> {
                    assertThat(ex.getStatusCode().value()).isEqualTo(400);
                    assertThat(ex.getResponseBodyAsString()).contains("not a PNG or JPEG");
                });
    }

    @Test
    @Order(4)
    void shouldDriveThePlatformFromTheCommandLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("BRAID_URL", platform.gatewayUrl(), "BRAID_API_KEY", acmeKey);
        CliRun created = CliRun.of(env, "--json", "datasets", "create", "cli", "--labels", String.join(",", LABELS));
        assertThat(created.code()).as(created.toString()).isZero();
        String id = Http.JSON.readTree(created.out()).path("id").stringValue();

        Path ndjson = Files.write(dir.resolve("records.ndjson"), records(40));
        CliRun uploaded = CliRun.of(env, "datasets", "upload", id, ndjson.toString());
        assertThat(uploaded.code()).as(uploaded.toString()).isZero();
        assertThat(uploaded.out()).contains("accepted 40, duplicates 0, rejected 0");
        assertThat(uploaded.err()).as("a progress bar, full at the end").contains("uploading records.ndjson [" + "#".repeat(30) + "]");
        CliRun zipped = CliRun.of(env, "datasets", "upload", id, zip(dir.resolve("more.zip"), 8).toString());
        assertThat(zipped.code()).as(zipped.toString()).isZero();
        assertThat(zipped.out()).contains("accepted 8,");
        CliRun shown = CliRun.of(env, "datasets", "get", id);
        assertThat(shown.out()).contains("48 records").contains("LABEL").contains("TRAIN").contains(LABELS.get(0));

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

    @Test
    @Order(4)
    void shouldNeverShowOneTenantAnothersData() {
        assertThat(gateway.get("/api/v1/datasets/" + datasetId, globexKey).status()).isEqualTo(404);
        assertThat(gateway.get("/api/v1/datasets", globexKey).json().path("total").asLong()).isZero();
        // a claimed identity header is stripped by the gateway, never trusted
        assertThat(gateway.get("/api/v1/datasets/" + datasetId, globexKey, "X-Tenant-Id", "acme").status()).isEqualTo(404);
        assertThat(gateway.postJson("/api/v1/predictions", globexKey, Map.of("modelId", modelId, "text", "alpha")).status())
                .isEqualTo(404);
        assertThat(gateway.get("/api/v1/models/" + modelId, globexKey).status()).isEqualTo(404);
    }

    @Test
    @Order(5)
    void shouldOpenABudgetForAPrivateDatasetAndKeepItsJobsPrivate() throws Exception {
        Http.Response created = gateway.postJson("/api/v1/datasets", acmeKey, Map.of("name", "private", "labels", LABELS,
                "privacy", Map.of("epsilonBudget", 8.0, "delta", 1e-5)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String privateId = created.json().path("id").stringValue();

        Http.Response budget = gateway.get("/api/v1/privacy/budgets/" + privateId, acmeKey);
        assertThat(budget.status()).isEqualTo(200);
        assertThat(budget.json().path("epsilonBudget").asDouble()).isEqualTo(8.0);
        assertThat(budget.json().path("epsilonSpent").asDouble()).isZero();
        assertThat(gateway.get("/api/v1/privacy/budgets/" + privateId, globexKey).status()).isEqualTo(404);

        Http.Response nonPrivate = gateway.postJson("/api/v1/training-jobs", acmeKey, Map.of("datasetId", privateId));
        assertThat(nonPrivate.status()).isEqualTo(422);
        assertThat(nonPrivate.json().path("type").stringValue()).endsWith("/privacy-required");

        Http.Response ingested = gateway.post("/api/v1/datasets/" + privateId + "/records", acmeKey, "application/x-ndjson",
                records(200));
        assertThat(ingested.json().path("accepted").asLong()).isEqualTo(200);
        long train = 0;
        for (JsonNode count : gateway.get("/api/v1/datasets/" + privateId, acmeKey).json().path("splits").path("train")) {
            train += count.asLong();
        }

        // a job that would overspend is refused and spends nothing
        Http.Response greedy = gateway.postJson("/api/v1/training-jobs", acmeKey, Map.of("datasetId", privateId, "epochs", 200,
                "batchSize", 64, "privacy", Map.of("noiseMultiplier", 0.4, "maxGradNorm", 1.0, "alpha", 0.5)));
        assertThat(greedy.status()).as(greedy.body()).isEqualTo(409);
        assertThat(greedy.json().path("detail").stringValue()).contains("planned ε").contains("remaining ε");
        assertThat(gateway.get("/api/v1/privacy/budgets/" + privateId, acmeKey).json().path("entries")).isEmpty();

        Http.Response submitted = gateway.postJson("/api/v1/training-jobs", acmeKey, Map.of("datasetId", privateId, "epochs", 3,
                "batchSize", 32, "learningRate", 0.05, "privacy", Map.of("noiseMultiplier", 1.1, "maxGradNorm", 1.0, "alpha", 0.5),
                "modalities", List.of("text", "image")));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        assertThat(submitted.json().path("modalities")).hasSize(2);
        assertThat(submitted.json().path("privacy").path("state").stringValue()).isEqualTo("RESERVED");
        JsonNode job = awaitJob(submitted.json().path("id").stringValue(), Duration.ofMinutes(5));
        assertThat(job.path("status").stringValue()).as(job.toString()).isEqualTo("SUCCEEDED");
        JsonNode privacy = job.path("privacy");
        double q = 32.0 / train;
        long steps = 3L * (long) Math.ceil(1 / q);
        assertThat(privacy.path("sampleRate").asDouble()).isEqualTo(q);
        assertThat(privacy.path("steps").asLong()).isEqualTo(steps);
        assertThat(privacy.path("alpha").stringValue()).isEqualTo("given in the request");
        double accountant = gateway.postJson("/api/v1/privacy/accountant", acmeKey, Map.of("delta", 1e-5, "mechanisms",
                List.of(Map.of("sampleRate", q, "noiseMultiplier", 1.1, "steps", steps)))).json().path("epsilon").asDouble();
        assertThat(privacy.path("epsilon").asDouble()).isCloseTo(accountant, org.assertj.core.data.Percentage.withPercentage(1e-6));
        JsonNode spent = gateway.get("/api/v1/privacy/budgets/" + privateId, acmeKey).json();
        assertThat(spent.path("epsilonSpent").asDouble()).isCloseTo(accountant, org.assertj.core.data.Percentage.withPercentage(1e-6));
        assertThat(spent.path("epsilonReserved").asDouble()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(job.path("metrics").path("alpha").asDouble()).isEqualTo(0.5);

        // the same job and ledger through the generated client: the typed privacy report, the budget, the accountant
        BraidApi acme = BraidApi.of(platform.gatewayUrl(), acmeKey);
        TrainingJob typed = acme.jobs().getTrainingJob(java.util.UUID.fromString(job.path("id").stringValue()));
        assertThat(typed.getPrivacy().getState()).isEqualTo(PrivacyReport.StateEnum.COMMITTED);
        assertThat(typed.getPrivacy().getEpsilon()).isEqualTo(privacy.path("epsilon").asDouble());
        assertThat(typed.getPrivacy().getSteps()).isEqualTo(steps);
        assertThat(typed.getMetrics().getPrivacy()).as("the model's metrics carry the same report").isEqualTo(typed.getPrivacy());
        PrivacyBudget ledger = acme.privacy().getPrivacyBudget(java.util.UUID.fromString(privateId));
        assertThat(ledger.getEpsilonBudget()).isEqualTo(8.0);
        assertThat(ledger.getEpsilonSpent()).isCloseTo(accountant, org.assertj.core.data.Percentage.withPercentage(1e-6));
        assertThat(ledger.getEntries()).singleElement().satisfies(entry -> {
            assertThat(entry.getJobId()).isEqualTo(typed.getId());
            assertThat(entry.getState()).isEqualTo("COMMITTED");
        });
        assertThat(acme.privacy().computeEpsilon(new EpsilonRequest().delta(1e-5).mechanisms(List.of(new Mechanism().sampleRate(q)
                .noiseMultiplier(1.1).steps(steps)))).getEpsilon()).isEqualTo(accountant);

        assertThat(gateway.postJson("/api/v1/privacy/keys/rotate", acmeKey, "{}").status()).isEqualTo(403);
        Http.Response rotated = gateway.postJson("/api/v1/privacy/keys/rotate", ADMIN_KEY, "{}");
        assertThat(rotated.status()).isEqualTo(202);
        assertThat(rotated.json().path("keyVersions").size()).isGreaterThanOrEqualTo(1);

        // a target ε instead of σ: the service finds σ for the job's planned steps and its noisy choice of α
        Http.Response targeted = gateway.postJson("/api/v1/training-jobs", acmeKey, Map.of("datasetId", privateId, "epochs", 2,
                "batchSize", 32, "privacy", Map.of("targetEpsilon", 0.8, "maxGradNorm", 1.0), "modalities", List.of("image", "text")));
        assertThat(targeted.status()).as(targeted.body()).isEqualTo(202);
        JsonNode plan = targeted.json().path("privacy");
        assertThat(plan.path("targetEpsilon").asDouble()).isEqualTo(0.8);
        assertThat(plan.path("epsilon").asDouble()).isLessThanOrEqualTo(0.8).isGreaterThan(0.79);
        double sigmaFound = plan.path("noiseMultiplier").asDouble();
        double check = gateway.postJson("/api/v1/privacy/accountant", acmeKey, Map.of("delta", 1e-5, "mechanisms", List.of(
                Map.of("sampleRate", q, "noiseMultiplier", sigmaFound, "steps", 2L * (long) Math.ceil(1 / q)),
                Map.of("sampleRate", 1.0, "noiseMultiplier", 5.0, "steps", 1)))).json().path("epsilon").asDouble();
        assertThat(check).isCloseTo(plan.path("epsilon").asDouble(), org.assertj.core.data.Percentage.withPercentage(1e-6));
        assertThat(gateway.postJson("/api/v1/training-jobs/" + targeted.json().path("id").stringValue() + "/cancel", acmeKey, "{}")
                .status()).isEqualTo(202);
        assertThat(gateway.postJson("/api/v1/training-jobs", acmeKey, Map.of("datasetId", privateId, "privacy",
                Map.of("targetEpsilon", 0.8, "noiseMultiplier", 1.0))).status()).isEqualTo(422);
        assertThat(gateway.postJson("/api/v1/training-jobs", acmeKey, Map.of("datasetId", privateId, "privacy",
                Map.of("targetEpsilon", 0.8), "modalities", List.of("audio"))).status()).isEqualTo(400);
        Http.Response noText = gateway.postJson("/api/v1/training-jobs", acmeKey, Map.of("datasetId", privateId, "privacy",
                Map.of("targetEpsilon", 0.8), "modalities", List.of("image"), "fineTuneText", true));
        assertThat(noText.status()).as(noText.body()).isEqualTo(422);
        assertThat(noText.json().path("type").stringValue()).endsWith("/no-text-branch");
        Http.Response balanced = gateway.postJson("/api/v1/training-jobs", acmeKey, Map.of("datasetId", privateId, "privacy",
                Map.of("targetEpsilon", 0.8), "balanceClasses", true));
        assertThat(balanced.status()).as(balanced.body()).isEqualTo(422);
        assertThat(balanced.json().path("type").stringValue()).endsWith("/balance-classes-private");

        // by default a private job trains its text branch alone: no α to choose, so none reserved for it
        Http.Response textOnly = gateway.postJson("/api/v1/training-jobs", acmeKey, Map.of("datasetId", privateId, "epochs", 2,
                "batchSize", 32, "privacy", Map.of("targetEpsilon", 0.8)));
        assertThat(textOnly.status()).as(textOnly.body()).isEqualTo(202);
        assertThat(textOnly.json().path("modalities")).hasSize(1);
        assertThat(textOnly.json().path("modalities").get(0).stringValue()).isEqualTo("text");
        JsonNode textPlan = textOnly.json().path("privacy");
        double alone = gateway.postJson("/api/v1/privacy/accountant", acmeKey, Map.of("delta", 1e-5, "mechanisms", List.of(
                Map.of("sampleRate", q, "noiseMultiplier", textPlan.path("noiseMultiplier").asDouble(),
                        "steps", 2L * (long) Math.ceil(1 / q))))).json().path("epsilon").asDouble();
        assertThat(alone).isCloseTo(textPlan.path("epsilon").asDouble(), org.assertj.core.data.Percentage.withPercentage(1e-6));
        JsonNode textJob = awaitJob(textOnly.json().path("id").stringValue(), Duration.ofMinutes(5));
        assertThat(textJob.path("status").stringValue()).as(textJob.toString()).isEqualTo("SUCCEEDED");
        assertThat(textJob.path("metrics").path("image").path("examples").asInt()).as("no image branch").isZero();
        assertThat(textJob.path("metrics").path("training").path("textLearningRate").asDouble())
                .isEqualTo(dev.braid.model.TrainingOptions.DEFAULT_PRIVATE_TEXT_LEARNING_RATE);
        assertThat(textJob.path("metrics").path("training").has("fineTuning")).as("a private job keeps the encoder frozen by default")
                .isFalse();
        assertThat(textJob.path("privacy").path("alpha").stringValue()).contains("one branch");
        assertThat(textJob.path("privacy").path("textStart").stringValue()).as("a choice from public facts, said so").contains("label names");

        // the reconciler: a reservation whose submit died before queuing its job is released, and a job that
        // ended while the privacy service was down is charged for the steps it had run
        Http privacyPort = new Http("http://localhost:" + platform.port("privacy-service"));
        String service = new InternalTokenCodec("e2e-internal-secret-long-enough-for-hmac", Duration.ofMinutes(5))
                .issueForService(new dev.braid.common.security.Caller("acme", Role.MEMBER, "e2e", null, java.time.Instant.now()));
        String orphan = java.util.UUID.randomUUID().toString();
        String unsettled = java.util.UUID.randomUUID().toString();
        for (String jobId : List.of(orphan, unsettled)) {
            Http.Response reserved = privacyPort.postJson("/internal/budgets/" + privateId + "/reservations", null, Map.of("jobId",
                    jobId, "sampleRate", q, "noiseMultiplier", 1.1, "steps", 2), InternalTokenCodec.HEADER, service);
            assertThat(reserved.status()).as(reserved.body()).isEqualTo(201);
        }
        try (var db = java.sql.DriverManager.getConnection(EmbeddedPostgresExtension.jdbcUrl(), "postgres", "postgres");
                var copy = db.createStatement()) {
            // the job that succeeded above, as if it had failed with 1 step run and its settlement had not got through
            copy.execute("create temp table ended as select * from training.job where id = '" + job.path("id").stringValue() + "'");
            copy.execute("update ended set id = '" + unsettled + "', status = 'FAILED', privacy_report = null, private_steps = 1,"
                    + " model_id = null, metrics = null");
            copy.execute("insert into training.job select * from ended");
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        Map<String, String> states = Map.of();
        while (!states.equals(Map.of(orphan, "RELEASED", unsettled, "COMMITTED"))) {
            assertThat(System.nanoTime()).as("the reconciler settles both: " + states).isLessThan(deadline);
            Thread.sleep(200);
            Map<String, String> now = new HashMap<>();
            for (JsonNode entry : gateway.get("/api/v1/privacy/budgets/" + privateId, acmeKey).json().path("entries")) {
                if (Set.of(orphan, unsettled).contains(entry.path("jobId").stringValue())) {
                    now.put(entry.path("jobId").stringValue(), entry.path("state").stringValue());
                }
            }
            states = now;
        }
        double oneStep = gateway.postJson("/api/v1/privacy/accountant", acmeKey, Map.of("delta", 1e-5, "mechanisms",
                List.of(Map.of("sampleRate", q, "noiseMultiplier", 1.1, "steps", 1)))).json().path("epsilon").asDouble();
        JsonNode settled = gateway.get("/api/v1/training-jobs/" + unsettled, acmeKey).json();
        assertThat(settled.path("privacy").path("epsilon").asDouble()).isCloseTo(oneStep,
                org.assertj.core.data.Percentage.withPercentage(1e-6));
    }

    @Test
    @Order(6)
    void shouldRefuseEveryServicePortCalledDirectly() {
        InternalTokenCodec forged = new InternalTokenCodec("a-different-secret-that-is-long-enough", Duration.ofMinutes(1));
        for (String module : List.of("dataset-service", "training-service", "inference-service", "privacy-service")) {
            Http direct = new Http("http://localhost:" + platform.port(module));
            Http.Response anonymous = direct.get("/api/v1/datasets", null);
            assertThat(anonymous.status()).as(module).isEqualTo(401);
            assertThat(anonymous.header("Content-Type")).startsWith("application/problem+json");
            assertThat(direct.get("/v3/api-docs", null).status()).as(module).isEqualTo(401);
            assertThat(direct.get("/api/v1/datasets/" + datasetId, null, InternalTokenCodec.HEADER,
                    forged.issue("acme", Role.ADMIN, "forged", null)).status()).as(module).isEqualTo(401);
        }
        assertThat(gateway.get("/internal/datasets/" + datasetId + "/records", acmeKey).status()).isEqualTo(404);
    }

    @Test
    @Order(7)
    void shouldPropagateRequestIdsAndServeOnePublicDocumentThatIsTheCommittedOne() throws IOException, InterruptedException {
        Http.Response response = gateway.get("/api/v1/datasets", acmeKey, "X-Request-Id", "e2e-trace-42");
        assertThat(response.header("X-Request-Id")).isEqualTo("e2e-trace-42");
        assertThat(gateway.get("/api/v1/datasets", acmeKey, "X-Request-Id", "bad id\twith tabs").header("X-Request-Id"))
                .isNotEqualTo("bad id\twith tabs").isNotBlank();

        Http.Response docs = gateway.get("/v3/api-docs", null);
        // a service still building its document answers 503 with Retry-After, as documented; a client waits and asks again
        for (int retry = 0; docs.status() == 503 && retry < 10; retry++) {
            assertThat(docs.header("Retry-After")).isNotNull();
            Thread.sleep(1000L * Long.parseLong(docs.header("Retry-After")));
            docs = gateway.get("/v3/api-docs", null);
        }
        assertThat(docs.status()).as(docs.body()).isEqualTo(200);
        JsonNode served = docs.json();
        assertThat(served.path("servers").get(0).path("url").stringValue()).as("try-it-out goes through the gateway")
                .isEqualTo(platform.gatewayUrl());
        assertThat(served.path("paths").propertyNames()).isNotEmpty().allMatch(path -> path.startsWith("/api/v1/"));
        // the document the services' code makes is the one committed, which the clients are generated from: a change
        // to the contract shows up in review as a change to api/openapi.json
        String canonical = docs.body().replace(platform.gatewayUrl(), "http://localhost:8080");
        Path committed = Path.of(System.getProperty("user.dir")).getParent().resolve("api/openapi.json");
        if (!Http.JSON.readTree(canonical).equals(Http.JSON.readTree(Files.readString(committed)))) {
            Path fresh = Path.of("target", "openapi.json").toAbsolutePath();
            Files.writeString(fresh, canonical);
            org.assertj.core.api.Assertions.fail("The services' OpenAPI document differs from api/openapi.json. If the change is "
                    + "meant, review it and copy " + fresh + " over api/openapi.json");
        }
        // the per-service documents are not routed: one public document only
        assertThat(gateway.get("/openapi/dataset", null).status()).isEqualTo(404);

        Http.Response ui = gateway.get("/openapi/gateway/swagger-config", null);
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.json().path("url").stringValue()).as("Swagger UI shows the combined document").isEqualTo("/v3/api-docs");
    }

    @Test
    @Order(7)
    void shouldLetABrowserFollowAJobWithAStreamTokenNeverWithTheKey() {
        BraidApi acme = BraidApi.of(platform.gatewayUrl(), acmeKey);
        java.util.UUID job = java.util.UUID.fromString(jobId);
        EventStreamToken stream = acme.jobs().createTrainingJobEventToken(job);
        assertThat(stream.getUrl()).doesNotContain(acmeKey).endsWith("access_token=" + stream.getToken());
        assertThat(stream.getExpiresAt()).isAfter(java.time.OffsetDateTime.now());

        // what an EventSource does: a GET with the URL and no header
        Http.Response events = gateway.get(stream.getUrl(), null, "Accept", "text/event-stream");
        assertThat(events.status()).as(events.body()).isEqualTo(200);
        assertThat(events.header("Content-Type")).startsWith("text/event-stream");
        assertThat(events.body().lines().filter(l -> l.startsWith("event:")).map(l -> l.substring(6).strip()).toList())
                .startsWith("started").endsWith("succeeded");

        // the token opens this job's stream and nothing else: not the job, not another job's stream, not another resource
        String token = stream.getToken();
        assertThat(gateway.get("/api/v1/training-jobs/" + jobId + "?access_token=" + token, null).status()).isEqualTo(401);
        assertThat(gateway.get("/api/v1/training-jobs/" + java.util.UUID.randomUUID() + "/events?access_token=" + token, null)
                .status()).isEqualTo(401);
        assertThat(gateway.get("/api/v1/datasets?access_token=" + token, null).status()).isEqualTo(401);
        assertThat(gateway.get("/api/v1/training-jobs/" + jobId + "/events?access_token=" + token.substring(0, token.length() - 2)
                + "AA", null).status()).as("a forged signature").isEqualTo(401);
        // nor a token for another tenant's job, which that tenant cannot even see
        assertThatThrownBy(() -> BraidApi.of(platform.gatewayUrl(), globexKey).jobs().createTrainingJobEventToken(job))
                .isInstanceOfSatisfying(HttpClientErrorException.class, ex -> assertThat(ex.getStatusCode().value()).isEqualTo(404));

        // a revoked key's tokens die with it
        BraidApi operator = BraidApi.of(platform.gatewayUrl(), ADMIN_KEY);
        ApiKey shortLived = operator.admin().createApiKey(new CreateApiKeyRequest().tenant("acme").role(CreateApiKeyRequest.RoleEnum.MEMBER));
        EventStreamToken orphaned = BraidApi.of(platform.gatewayUrl(), shortLived.getKey()).jobs().createTrainingJobEventToken(job);
        assertThat(gateway.get(orphaned.getUrl(), null).status()).as("live while its key is").isEqualTo(200);
        operator.admin().revokeApiKey(shortLived.getId());
        assertThat(gateway.get(orphaned.getUrl(), null).status()).isEqualTo(401);
    }

    @Test
    @Order(7)
    void shouldAnswerCorsPreflightForAnAllowedOriginAndRefuseAnyOther() {
        Http.Response allowed = gateway.options("/api/v1/training-jobs", "Origin", "https://console.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://console.example");
        assertThat(allowed.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(allowed.header("Access-Control-Allow-Headers").toLowerCase(java.util.Locale.ROOT)).contains("authorization");

        Http.Response refused = gateway.options("/api/v1/training-jobs", "Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Access-Control-Allow-Origin")).isNull();
        // and the real request from a refused origin gets no CORS grant either, so the browser hides the answer
        Http.Response actual = gateway.get("/api/v1/datasets", acmeKey, "Origin", "https://evil.example");
        assertThat(actual.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    @Order(8)
    void shouldLimitBodySizeAndRatePerKey() {
        Http.Response tooBig = gateway.post("/api/v1/datasets/" + datasetId + "/records", acmeKey, "application/x-ndjson",
                new byte[5 * 1024 * 1024]);
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.json().path("type").stringValue()).endsWith("/payload-too-large");
        Http.Response bigJson = gateway.post("/api/v1/predictions", acmeKey, "application/json",
                Http.JSON.writeValueAsBytes(Map.of("modelId", modelId, "text", "x".repeat(3 * 1024 * 1024))));
        assertThat(bigJson.status()).as("other bodies have the smaller limit").isEqualTo(413);

        String defaultKey = createKey("acme", "member");
        assertThat(gateway.get("/api/v1/datasets", defaultKey).header("X-RateLimit-Remaining"))
                .as("a fresh key's bucket holds the configured default burst of 60, less this request").isEqualTo("59");

        // a key of its own limit, 1 per second with a burst of 2, and requests the gateway answers itself: only
        // requests slower than a second each could escape it, whatever the machine's load
        Http.Response created = gateway.postJson("/api/v1/admin/api-keys", ADMIN_KEY, Map.of("tenant", "acme", "role", "member",
                "rateLimit", Map.of("requestsPerSecond", 1, "burst", 2)));
        String burstKey = created.json().path("key").stringValue();
        Http.Response limited = null;
        for (int i = 0; i < 200 && limited == null; i++) {
            Http.Response r = gateway.get("/api/v1/no-such-endpoint", burstKey);
            if (r.status() == 429) {
                limited = r;
            }
        }
        assertThat(limited).as("a burst over the limit is refused").isNotNull();
        assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
        assertThat(gateway.get("/api/v1/datasets", acmeKey).status()).as("other keys are not affected").isEqualTo(200);
    }

    @Test
    @Order(9)
    void shouldKeepTheBootstrapSecretsPrivate() throws IOException {
        Path masterKey = platform.home().resolve("master.key");
        assertThat(masterKey).as("the generated local master key").exists();
        assertThat(Files.getPosixFilePermissions(masterKey)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        String masterKeyValue = Files.readString(masterKey).strip();
        for (String module : PlatformConfig.MODULES) {
            String log = Files.readString(platform.home().resolve("logs").resolve(module + ".log"));
            assertThat(log).as(module).doesNotContain(ADMIN_KEY).doesNotContain(acmeKey).doesNotContain(globexKey)
                    .doesNotContain(masterKeyValue).doesNotContain("e2e-internal-secret");
        }
    }

    @Test
    @Order(10)
    void shouldStoreRecordsEncryptedAndCryptoShredThemOnDelete() throws Exception {
        Http.Response created = gateway.postJson("/api/v1/datasets", acmeKey, Map.of("name", "shred", "labels", List.of("x")));
        String shredId = created.json().path("id").stringValue();
        gateway.post("/api/v1/datasets/" + shredId + "/records", acmeKey, "application/x-ndjson",
                "{\"text\":\"the secret word is marmalade\",\"label\":\"x\"}\n".getBytes(StandardCharsets.UTF_8));
        byte[] ciphertext;
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(EmbeddedPostgresExtension.jdbcUrl(), "postgres", "postgres");
                var query = db.prepareStatement("select text_ct from dataset.record where dataset_id = ?::uuid")) {
            query.setString(1, shredId);
            try (var rs = query.executeQuery()) {
                assertThat(rs.next()).isTrue();
                ciphertext = rs.getBytes(1);
            }
        }
        assertThat(new String(ciphertext, StandardCharsets.ISO_8859_1)).doesNotContain("marmalade");
        Http privacy = new Http("http://localhost:" + platform.port("privacy-service"));
        InternalTokenCodec codec = new InternalTokenCodec("e2e-internal-secret-long-enough-for-hmac", Duration.ofMinutes(1));
        String token = codec.issueForService(new dev.braid.common.security.Caller("acme", Role.MEMBER, "e2e", null,
                java.time.Instant.now()));
        assertThat(privacy.postJson("/internal/keys/data-keys/" + shredId + "/unwrap", null, "{}", InternalTokenCodec.HEADER, token)
                .status()).isEqualTo(200);
        String clientToken = codec.issue("acme", Role.MEMBER, "e2e", null);
        assertThat(privacy.postJson("/internal/keys/data-keys/" + shredId + "/unwrap", null, "{}", InternalTokenCodec.HEADER,
                clientToken).status()).as("a client's token, as the gateway forwards it, never opens an internal endpoint").isEqualTo(403);

        assertThat(gateway.get("/api/v1/datasets/" + shredId, acmeKey).status()).isEqualTo(200);
        assertThat(gateway.delete("/api/v1/datasets/" + shredId, acmeKey).status()).isEqualTo(204);

        Http.Response afterwards = privacy.postJson("/internal/keys/data-keys/" + shredId + "/unwrap", null, "{}",
                InternalTokenCodec.HEADER, token);
        assertThat(afterwards.status()).as("the key is gone, so no copy of the ciphertext can be read").isEqualTo(410);
        assertThat(gateway.get("/api/v1/datasets/" + shredId, acmeKey).status()).isEqualTo(404);
    }

    @Test
    @Order(11)
    void shouldRestartAServiceThatDies() throws Exception {
        Process privacy = platform.process("privacy-service");
        privacy.destroyForcibly().waitFor();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
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
    @Order(12)
    void shouldFinishAJobWhoseWorkerIsKilledFromItsLastCheckpointWithOneModel() throws Exception {
        // a second training instance on the same queue, besides the platform's own
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("BRAID_DATABASE_URL", EmbeddedPostgresExtension.jdbcUrl());
        env.put("BRAID_HOME", platform.home().toString());
        env.put("BRAID_INTERNAL_SECRET", "e2e-internal-secret-long-enough-for-hmac");
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
        }
    }

    @Test
    @Order(13)
    void shouldRevokeADeletedDatasetsModelsSoTheyServeNothing() throws InterruptedException {
        assertThat(gateway.postJson("/api/v1/predictions", acmeKey, Map.of("datasetId", datasetId, "text", "alpha")).status())
                .isEqualTo(200);
        // the kill -9 test may have killed the platform's own training instance: a delete while it restarts is a 503, retried
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        int status;
        while ((status = gateway.delete("/api/v1/datasets/" + datasetId, acmeKey).status()) == 503) {
            assertThat(System.nanoTime()).as("the training service came back").isLessThan(deadline);
            Thread.sleep(500);
        }
        assertThat(status).isEqualTo(204);

        for (Map<String, Object> request : List.<Map<String, Object>>of(Map.of("datasetId", datasetId, "text", "alpha"),
                Map.of("modelId", modelId, "text", "alpha"))) {
            Http.Response refused = gateway.postJson("/api/v1/predictions", acmeKey, request);
            assertThat(refused.status()).as(request.toString()).isEqualTo(410);
            assertThat(refused.json().path("type").stringValue()).endsWith("/dataset-deleted");
        }
        assertThat(gateway.get("/api/v1/models/" + modelId, acmeKey).status()).isEqualTo(410);
        assertThat(gateway.get("/api/v1/models?datasetId=" + datasetId, acmeKey).json().path("total").asLong()).isZero();
        try (var db = java.sql.DriverManager.getConnection(EmbeddedPostgresExtension.jdbcUrl(), "postgres", "postgres");
                var query = db.prepareStatement("""
                        select count(*) from training.checkpoint c join training.job j on j.id = c.job_id
                        where j.dataset_id = ?::uuid""")) {
            query.setString(1, datasetId);
            var rows = query.executeQuery();
            rows.next();
            assertThat(rows.getLong(1)).as("no checkpoint of the dataset's jobs is left").isZero();
        }
        catch (java.sql.SQLException ex) {
            throw new IllegalStateException(ex);
        }
        Path artifacts = platform.home().resolve("blobs/models/acme/" + modelId);
        assertThat(Files.exists(artifacts) && artifacts.toFile().list().length > 0).as("the model's artifact is deleted").isFalse();
    }

    @Test
    @Order(14)
    void shouldServeHealthInfoAndPrometheusOnEachServicesManagementPortAndOnlyStatusOnItsServicePort() {
        // a meter of each service's own work, recorded by the tests before this one (privacy restarted in one of them)
        Map<String, String> ownMeter = Map.of("dataset-service", "braid_ingest_records_total{",
                "training-service", "braid_training_running{", "inference-service", "braid_inference_latency_seconds_count{",
                "privacy-service", "http_server_requests_seconds_count{", "gateway-service", "spring_cloud_gateway_requests_seconds_count{");
        for (String module : PlatformConfig.MODULES) {
            Http management = new Http("http://127.0.0.1:" + platform.managementPort(module));
            Http.Response scrape = management.get("/actuator/prometheus", null);
            assertThat(scrape.status()).as(module).isEqualTo(200);
            assertThat(scrape.header("Content-Type")).as(module).startsWith("text/plain");
            assertThat(scrape.body()).as(module).contains(ownMeter.get(module)).contains("service=\"" + module + "\"");
            assertThat(management.get("/actuator/health/readiness", null).json().path("status").stringValue()).isEqualTo("UP");
            assertThat(management.get("/actuator/info", null).json().path("java").path("version").isString()).as(module).isTrue();
            assertThat(management.get("/api/v1/datasets", ADMIN_KEY).status()).as("no API on the management port").isEqualTo(404);

            Http service = new Http("http://127.0.0.1:" + platform.port(module));
            Http.Response health = service.get("/actuator/health", null);
            assertThat(health.status()).as(module).isEqualTo(200);
            assertThat(health.json().propertyNames()).as("status only on the service port").containsExactly("status");
            assertThat(service.get("/actuator/prometheus", null).status()).as(module).isEqualTo(401);
        }
        assertThat(gateway.get("/actuator/prometheus", ADMIN_KEY).status()).as("not through the gateway").isEqualTo(404);
    }

    private static void awaitHealthy(int port) throws InterruptedException {
        Http direct = new Http("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (direct.get("/actuator/health", null).status() == 200) {
                    return;
                }
            }
            catch (RuntimeException ex) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the second training instance did not become healthy");
    }

    private static JsonNode awaitJob(String jobId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode job = null;
        while (System.nanoTime() < deadline) {
            Http.Response response = gateway.get("/api/v1/training-jobs/" + jobId, acmeKey);
            if (response.status() != 200) {
                // the training service the gateway routes to may be restarting (the kill -9 test)
                Thread.sleep(1000);
                continue;
            }
            job = response.json();
            if (Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.path("status").stringValue())) {
                return job;
            }
            Thread.sleep(1000);
        }
        return job;
    }

    private static String createKey(String tenant, String role) {
        Http.Response created = gateway.postJson("/api/v1/admin/api-keys", ADMIN_KEY, Map.of("tenant", tenant, "role", role));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("key").stringValue();
    }

    private static String base64Png(BufferedImage image) throws IOException {
        return Base64.getEncoder().encodeToString(png(image));
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return png.toByteArray();
    }

    static byte[] records(int n) throws IOException {
        Random random = new Random(42);
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < n; i++) {
            SyntheticData.Sample s = SyntheticData.sample(i % 4, random);
            ndjson.append(Http.JSON.writeValueAsString(Map.of("id", "r" + i, "text", s.text(), "imageBase64",
                    base64Png(s.image()), "label", s.labelName()))).append('\n');
        }
        return ndjson.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A ZIP of {@code n} generated records: manifest.jsonl at the root and the PNGs it names. */
    private static Path zip(Path file, int n) throws IOException {
        Random random = new Random(7);
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            StringBuilder manifest = new StringBuilder();
            for (int i = 0; i < n; i++) {
                SyntheticData.Sample s = SyntheticData.sample(i % 4, random);
                String image = "images/" + i + ".png";
                zip.putNextEntry(new java.util.zip.ZipEntry(image));
                zip.write(png(s.image()));
                zip.closeEntry();
                manifest.append(Http.JSON.writeValueAsString(Map.of("id", "z" + i, "text", s.text() + " " + i, "image", image,
                        "label", s.labelName()))).append('\n');
            }
            zip.putNextEntry(new java.util.zip.ZipEntry("manifest.jsonl"));
            zip.write(manifest.toString().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return file;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
