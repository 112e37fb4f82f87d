package dev.braid.launcher;

import java.io.File;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.ContainerState;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.braid.client.model.CreateDatasetRequest;
import dev.braid.client.model.Dataset;
import dev.braid.client.model.Prediction;
import dev.braid.client.model.PredictionRequest;
import dev.braid.client.model.SubmitTrainingJobRequest;
import dev.braid.client.model.TrainingJob;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker-compose.yml} as a user runs it: the images built from the {@code Dockerfile}, every service healthy,
 * then a job submitted with only its dataset (the defaults) and one prediction through the published gateway. Where
 * there is no Docker engine (these build machines) JUnit reports it skipped: "disabledWithoutDocker is true and
 * Docker is not available".
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeSmokeTests {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ADMIN_KEY = "compose-smoke-" + secret(24);
    private static final List<String> SERVICES = List.of("postgres", "minio", "privacy", "dataset", "training", "inference", "gateway");

    @Container
    static final ComposeContainer compose = new ComposeContainer(new File("../docker-compose.yml"))
            .withBuild(true)
            .withEnv(Map.of("BRAID_ADMIN_KEY", ADMIN_KEY, "BRAID_MASTER_KEY", Base64.getEncoder().encodeToString(bytes(32)), "BRAID_INTERNAL_SECRET", secret(48),
                    "POSTGRES_PASSWORD", secret(18), "MINIO_ROOT_PASSWORD", secret(18)))
            .withExposedService("gateway", 8080, Wait.forHttp("/actuator/health").forStatusCode(200)
                    .withStartupTimeout(Duration.ofMinutes(20)))
            .withRemoveVolumes(true);

    @Test
    void shouldStartEveryServiceHealthyAndAnswerAPredictionThroughTheGateway() throws Exception {
        for (String service : SERVICES) {
            ContainerState container = compose.getContainerByServiceName(service).orElseThrow();
            assertThat(container.isHealthy()).as(service + " healthy").isTrue();
        }
        String gateway = "http://" + compose.getServiceHost("gateway", 8080) + ":" + compose.getServicePort("gateway", 8080);
        BraidApi api = BraidApi.of(gateway, ADMIN_KEY);

        Dataset dataset = api.datasets().createDataset(new CreateDatasetRequest().name("compose").labels(PlatformTest.LABELS));
        // records with images are stored, their images in MinIO's bucket (created by the first service to start that
        // keeps blobs), where the model below goes too
        assertThat(api.datasets().uploadRecords(dataset.getId(), new ByteArrayResource(PlatformTest.records(160)))
                .getAccepted()).isEqualTo(160);
        TrainingJob job = api.awaitJob(api.jobs().submitTrainingJob(new SubmitTrainingJobRequest().datasetId(dataset.getId()))
                .getId(), Duration.ofMinutes(30));
        assertThat(job.getStatus()).as(job.toString()).isEqualTo(TrainingJob.StatusEnum.SUCCEEDED);
        api.models().deployModel(job.getModelId());

        Prediction prediction = api.predictions().predict(new PredictionRequest().datasetId(dataset.getId()).text("red alpha"));
        assertThat(prediction.getModelId()).isEqualTo(job.getModelId());
        assertThat(PlatformTest.LABELS).contains(prediction.getLabel());
    }

    private static String secret(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(bytes));
    }

    private static byte[] bytes(int n) {
        byte[] value = new byte[n];
        RANDOM.nextBytes(value);
        return value;
    }
}
