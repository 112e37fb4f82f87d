package dev.braid.launcher;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.braid.client.model.EpsilonRequest;
import dev.braid.client.model.Mechanism;
import dev.braid.client.model.PrivacyBudget;
import dev.braid.client.model.PrivacyReport;
import dev.braid.client.model.TrainingJob;
import dev.braid.common.security.InternalTokenCodec;
import dev.braid.common.security.Role;
import dev.braid.testing.EmbeddedPostgresExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dataset with a privacy budget: every job on it is DP-SGD, its ε reserved at submit and charged at the end,
 * the accountant's answer and the budget's ledger in agreement.
 */
class PrivateTrainingTests extends PlatformTest {

    @Test
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
        long validation = 0;
        JsonNode splits = gateway.get("/api/v1/datasets/" + privateId, acmeKey).json().path("splits");
        for (JsonNode count : splits.path("train")) {
            train += count.asLong();
        }
        for (JsonNode count : splits.path("validation")) {
            validation += count.asLong();
        }
        // the test metrics' release every private job makes by default: Gaussian, noise multiplier 5, one step
        Map<String, Object> metricsRelease = Map.of("sampleRate", 1.0, "noiseMultiplier", 5.0, "steps", 1);

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
        // α given: the validation split is looked at for nothing, so the job samples from train and validation together
        double q = 32.0 / (train + validation);
        long steps = 3L * (long) Math.ceil(1 / q);
        assertThat(privacy.path("sampleRate").asDouble()).isEqualTo(q);
        assertThat(privacy.path("steps").asLong()).isEqualTo(steps);
        assertThat(privacy.path("alpha").stringValue()).isEqualTo("given in the request");
        double accountant = gateway.postJson("/api/v1/privacy/accountant", acmeKey, Map.of("delta", 1e-5, "mechanisms",
                List.of(Map.of("sampleRate", q, "noiseMultiplier", 1.1, "steps", steps), metricsRelease))).json().path("epsilon").asDouble();
        assertThat(privacy.path("epsilon").asDouble()).isCloseTo(accountant, org.assertj.core.data.Percentage.withPercentage(1e-6));
        JsonNode spent = gateway.get("/api/v1/privacy/budgets/" + privateId, acmeKey).json();
        assertThat(spent.path("epsilonSpent").asDouble()).isCloseTo(accountant, org.assertj.core.data.Percentage.withPercentage(1e-6));
        assertThat(spent.path("epsilonReserved").asDouble()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(job.path("metrics").path("alpha").asDouble()).isEqualTo(0.5);
        assertThat(privacy.path("metricsNoiseMultiplier").asDouble()).isEqualTo(5.0);
        assertReleasesNothingUnnoised(job);

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
                .noiseMultiplier(1.1).steps(steps), new Mechanism().sampleRate(1.0).noiseMultiplier(5.0).steps(1L)))).getEpsilon())
                .isEqualTo(accountant);

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
        // α chosen on validation: it samples from train alone; its two releases after training (α, test metrics) are
        // one Gaussian mechanism on the ledger, 1/σ² = 1/5² + 1/5²
        double qTrain = 32.0 / train;
        assertThat(plan.path("sampleRate").asDouble()).isEqualTo(qTrain);
        List<Map<String, Object>> planned = new java.util.ArrayList<>(List.of(
                Map.of("sampleRate", qTrain, "noiseMultiplier", sigmaFound, "steps", 2L * (long) Math.ceil(1 / qTrain)),
                Map.of("sampleRate", 1.0, "noiseMultiplier", 5.0, "steps", 1)));
        // at so small a target the default release (5) would cost the model more noise than a tenth: a coarser one, or none
        double metricsNoise = plan.path("metricsNoiseMultiplier").asDouble(0);
        assertThat(metricsNoise).isIn(0.0, 10.0, 20.0, 40.0, 80.0);
        if (metricsNoise > 0) {
            planned.add(Map.of("sampleRate", 1.0, "noiseMultiplier", metricsNoise, "steps", 1));
        }
        double check = gateway.postJson("/api/v1/privacy/accountant", acmeKey, Map.of("delta", 1e-5, "mechanisms", planned)).json()
                .path("epsilon").asDouble();
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
        List<Map<String, Object>> textPlanned = new java.util.ArrayList<>(List.of(Map.of("sampleRate", q, "noiseMultiplier",
                textPlan.path("noiseMultiplier").asDouble(), "steps", 2L * (long) Math.ceil(1 / q))));
        if (textPlan.path("metricsNoiseMultiplier").asDouble(0) > 0) {
            textPlanned.add(Map.of("sampleRate", 1.0, "noiseMultiplier", textPlan.path("metricsNoiseMultiplier").asDouble(), "steps", 1));
        }
        double alone = gateway.postJson("/api/v1/privacy/accountant", acmeKey, Map.of("delta", 1e-5, "mechanisms", textPlanned))
                .json().path("epsilon").asDouble();
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
        assertReleasesNothingUnnoised(textJob);

        // the reconciler: a reservation whose submit died before queuing its job is released, and a job that
        // ended while the privacy service was down is charged for the steps it had run
        Http privacyPort = new Http("http://localhost:" + platform.port("privacy-service"));
        String service = new InternalTokenCodec(E2ePlatform.INTERNAL_SECRET, Duration.ofMinutes(5))
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
        // the reconciler looks every second; the bound is a training service's start, which ResilienceTests may cause
        long deadline = System.nanoTime() + E2ePlatform.START_WAIT.toNanos();
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

    /**
     * A private job's releases, on its event stream and in its JSON: epochs that say which epoch ended and nothing
     * measured on the records, no validation curve, and test metrics only as the noisy release it paid for.
     */
    private static void assertReleasesNothingUnnoised(JsonNode job) {
        List<String> lines = gateway.get("/api/v1/training-jobs/" + job.path("id").stringValue() + "/events", acmeKey).body()
                .lines().toList();
        List<JsonNode> epochs = events(lines, "epoch");
        assertThat(epochs).as("one event per epoch").hasSize(job.path("progress").path("epochs").asInt());
        for (JsonNode epoch : epochs) {
            assertThat(epoch.propertyNames()).as("an epoch's end only: no loss, no validation loss or accuracy")
                    .containsExactlyInAnyOrder("epoch", "epochs", "step", "steps");
        }
        JsonNode metrics = job.path("metrics");
        assertThat(metrics.path("training").path("curve")).as("no validation curve").isEmpty();
        if (!job.path("privacy").has("metricsNoiseMultiplier")) {
            assertThat(metrics.has("text") || metrics.has("image") || metrics.has("fused")).as("none paid for, none released").isFalse();
            return;
        }
        for (String branch : List.of("text", "image", "fused")) {
            JsonNode m = metrics.path(branch);
            if (m.path("examples").asLong() == 0) {
                continue; // a branch the model does not have
            }
            assertThat(m.path("countNoise").asDouble()).as(branch + ": a noisy release").isPositive();
            assertThat(m.has("macroF1")).as(branch).isFalse();
            assertThat(m.path("perClass")).as(branch).isEmpty();
            assertThat(m.path("confusion")).as(branch).isEmpty();
        }
        assertThat(metrics.path("fused").path("countNoise").asDouble()).isPositive();
        assertThat(events(lines, "succeeded")).singleElement().satisfies(succeeded -> assertThat(succeeded.path("metrics"))
                .as("the succeeded event carries the same release, nothing more").isEqualTo(metrics));
    }

    /** The data of every event of this type in a stream's lines. */
    private static List<JsonNode> events(List<String> lines, String type) {
        List<JsonNode> found = new java.util.ArrayList<>();
        String current = null;
        for (String line : lines) {
            if (line.startsWith("event:")) {
                current = line.substring(6).strip();
            }
            else if (line.startsWith("data:") && type.equals(current)) {
                found.add(Http.JSON.readTree(line.substring(5)));
            }
            else if (line.isEmpty()) {
                current = null;
            }
        }
        return found;
    }
}
