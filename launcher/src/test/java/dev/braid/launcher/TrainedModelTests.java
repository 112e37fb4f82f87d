package dev.braid.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.web.client.HttpClientErrorException;

import dev.braid.client.model.ApiKey;
import dev.braid.client.model.BatchPredictionRequest;
import dev.braid.client.model.BranchMetrics;
import dev.braid.client.model.ClassMetrics;
import dev.braid.client.model.ConfusionCell;
import dev.braid.client.model.CreateApiKeyRequest;
import dev.braid.client.model.CreateDatasetRequest;
import dev.braid.client.model.Dataset;
import dev.braid.client.model.EventStreamToken;
import dev.braid.client.model.IngestReport;
import dev.braid.client.model.JobMetrics;
import dev.braid.client.model.Model;
import dev.braid.client.model.Prediction;
import dev.braid.client.model.PredictionInput;
import dev.braid.client.model.PredictionRequest;
import dev.braid.client.model.SubmitTrainingJobRequest;
import dev.braid.client.model.TrainingChoices;
import dev.braid.client.model.TrainingJob;
import dev.braid.model.SyntheticData;
import dev.braid.testing.EmbeddedPostgresExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One dataset's whole life through the generated client, in order: records in, a job trained and followed, its
 * model deployed and serving, kept from another tenant, followed from a browser with a stream token, and finally the
 * dataset deleted with everything made from it. The later tests use what the first made, so they run in order here,
 * and only here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainedModelTests extends PlatformTest {

    private static final int PROBES = 100;

    static String datasetId;
    static String modelId;
    static String jobId;

    @Test
    @Order(1)
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
        // the defaults are for real data sets: on these 240 records the fine-tuned encoder got a single probe wrong in 1
        // of 5 clean-clone runs (the splits follow the records' random ids), so this job keeps the encoder frozen; the
        // kill test below runs the fine-tuning default
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

        String events = acme.jobs().streamTrainingJobEvents(job.getId(), null, null, null);
        List<String> types = events.lines().filter(l -> l.startsWith("event:")).map(l -> l.substring(6).strip()).toList();
        assertThat(types).startsWith("started").endsWith("succeeded");
        assertThat(types.stream().filter("epoch"::equals).count()).isEqualTo(epochs);
        String fifthId = events.lines().filter(l -> l.startsWith("id:")).skip(4).findFirst().orElseThrow().substring(3).strip();
        String resumed = acme.jobs().streamTrainingJobEvents(job.getId(), fifthId, null, null);
        assertThat(resumed.lines().filter(l -> l.startsWith("event:")).count()).isEqualTo(types.size() - 5);

        Model model = acme.models().getModel(job.getModelId());
        assertThat(model.getJobId()).isEqualTo(job.getId());
        assertThat(model.getDeployed()).isFalse();
        assertThat(model.getMetrics()).isEqualTo(metrics);
        assertThat(acme.models().deployModel(job.getModelId()).getDeployed()).isTrue();
        assertThat(acme.models().listModels(created.getId(), 0, 50).getItems()).extracting(Model::getId).containsExactly(job.getModelId());

        // one probe is a test that flakes: the splits follow the records' random ids, so the model differs from run to run,
        // and so does how well its mixture of two branches, each sure of only half the label, fuses (measured on these 100
        // probes: 78, 97 and 99 right in three runs, with every word and colour right). The served model is judged on 100
        // fresh probes against what one modality alone can reach, half of them
        Random random = new Random(123);
        List<SyntheticData.Sample> probes = new ArrayList<>();
        List<PredictionInput> fusedInputs = new ArrayList<>();
        List<PredictionInput> textInputs = new ArrayList<>();
        List<PredictionInput> imageInputs = new ArrayList<>();
        for (int i = 0; i < PROBES; i++) {
            SyntheticData.Sample p = SyntheticData.sample(i % LABELS.size(), random);
            probes.add(p);
            fusedInputs.add(new PredictionInput().text(p.text()).imageBase64(png(p.image())));
            textInputs.add(new PredictionInput().text(p.text()));
            imageInputs.add(new PredictionInput().imageBase64(png(p.image())));
        }
        List<Prediction> fusedAnswers = acme.predictions().predictBatch(new BatchPredictionRequest().datasetId(created.getId())
                .inputs(fusedInputs)).getResults();
        List<Prediction> textAnswers = acme.predictions().predictBatch(new BatchPredictionRequest().modelId(job.getModelId())
                .inputs(textInputs)).getResults();
        List<Prediction> imageAnswers = acme.predictions().predictBatch(new BatchPredictionRequest().modelId(job.getModelId())
                .inputs(imageInputs)).getResults();
        assertThat(fusedAnswers).hasSize(PROBES);
        assertThat(countRight(probes, fusedAnswers, label -> label))
                .as("fused: both halves of each label, where one modality alone gets 50 of 100").isGreaterThanOrEqualTo(60);
        assertThat(countRight(probes, textAnswers, label -> label.substring(label.indexOf('-'))))
                .as("the text alone: alpha or beta").isGreaterThanOrEqualTo(90);
        assertThat(countRight(probes, imageAnswers, label -> label.substring(0, label.indexOf('-'))))
                .as("the image alone: red or blue").isGreaterThanOrEqualTo(90);

        SyntheticData.Sample probe = probes.get(2); // red-beta
        Prediction both = acme.predictions().predict(new PredictionRequest().datasetId(created.getId()).text(probe.text())
                .imageBase64(png(probe.image())));
        // alone or in a batch, the same answer (to float rounding: the batch pads texts to its longest)
        assertSameAnswer(both, fusedAnswers.get(2));
        assertThat(both.getLabel()).isIn(LABELS);
        assertThat(both.getModelId()).isEqualTo(job.getModelId());
        assertThat(both.getModalities().getText()).isNotNull();
        assertThat(both.getModalities().getImage()).isNotNull();
        assertThat(both.getAlpha()).isBetween(0.0, 1.0);

        Prediction textOnly = acme.predictions().predict(new PredictionRequest().modelId(job.getModelId()).text(probe.text()));
        assertThat(textOnly.getModalities().getImage()).isNull();
        assertSameAnswer(textOnly, textAnswers.get(2));

        Prediction imageOnly = acme.predictions().predict(new PredictionRequest().datasetId(created.getId())
                .imageBase64(png(probe.image())));
        assertThat(imageOnly.getModalities().getText()).isNull();
        assertThat(imageOnly.getProbabilities()).isEqualTo(imageOnly.getModalities().getImage().getProbabilities());
        assertSameAnswer(imageOnly, imageAnswers.get(2));

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
    @Order(2)
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
    @Order(2)
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
    @Order(3)
    void shouldRevokeADeletedDatasetsModelsSoTheyServeNothing() throws InterruptedException {
        assertThat(gateway.postJson("/api/v1/predictions", acmeKey, Map.of("datasetId", datasetId, "text", "alpha")).status())
                .isEqualTo(200);
        // a training service restarting (ResilienceTests kills one) makes a delete a 503, retried
        long deadline = System.nanoTime() + E2ePlatform.START_WAIT.toNanos();
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

    /** How many answers name the part of their probe's label that {@code part} keeps. */
    private static long countRight(List<SyntheticData.Sample> probes, List<Prediction> answers,
            java.util.function.UnaryOperator<String> part) {
        assertThat(answers).hasSameSizeAs(probes);
        long right = 0;
        for (int i = 0; i < probes.size(); i++) {
            if (part.apply(answers.get(i).getLabel()).equals(part.apply(probes.get(i).labelName()))) {
                right++;
            }
        }
        return right;
    }


    private static void assertSameAnswer(Prediction alone, Prediction inBatch) {
        assertThat(alone.getLabel()).isEqualTo(inBatch.getLabel());
        assertThat(alone.getProbabilities()).containsOnlyKeys(inBatch.getProbabilities().keySet());
        alone.getProbabilities().forEach((label, p) -> assertThat(p).as(label).isCloseTo(inBatch.getProbabilities().get(label),
                org.assertj.core.data.Offset.offset(1e-5)));
    }

}
