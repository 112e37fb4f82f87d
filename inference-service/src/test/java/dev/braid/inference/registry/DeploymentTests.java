package dev.braid.inference.registry;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.braid.model.SyntheticData;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Registering, deploying, rolling back and predicting against real models saved the way training saves them. */
class DeploymentTests extends RegisteredModelsTest {

    @Test
    void shouldPredictFromAFormWithTheImageAsBytesExactlyAsFromBase64Json() throws Exception {
        ServiceTestClient client = new ServiceTestClient(port);
        UUID dataset = UUID.randomUUID();
        String model = register(client, "acme", dataset, artifact);
        client.postJson("/api/v1/models/" + model + "/deploy", "acme", "{}");
        SyntheticData.Sample sample = SyntheticData.sample(3, new Random(8));
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(sample.image(), "png", png);

        JsonNode json = client.postJson("/api/v1/predictions", "acme", Map.of("modelId", model, "text", sample.text(),
                "imageBase64", Base64.getEncoder().encodeToString(png.toByteArray()))).json();
        ServiceTestClient.Response form = postForm(client, "acme", Map.of("modelId", model, "text", sample.text()),
                png.toByteArray());
        assertThat(form.status()).as(form.body()).isEqualTo(200);
        assertThat(form.json().path("probabilities")).as("the same bytes, the same answer").isEqualTo(json.path("probabilities"));
        assertThat(form.json().path("modalities").has("image")).isTrue();

        String accented = "rouge ALPHA — café ☕ 東京";
        assertThat(postForm(client, "acme", Map.of("modelId", model, "text", accented), null).json().path("probabilities"))
                .as("a form's text is read as UTF-8").isEqualTo(client.postJson("/api/v1/predictions", "acme",
                        Map.of("modelId", model, "text", accented)).json().path("probabilities"));

        ServiceTestClient.Response byDataset = postForm(client, "acme", Map.of("datasetId", dataset.toString()), png.toByteArray());
        assertThat(byDataset.json().path("modelId").stringValue()).isEqualTo(model);
        assertThat(byDataset.json().path("modalities").has("text")).isFalse();
        assertThat(postForm(client, "acme", Map.of("modelId", model, "text", "alpha"), null).json().path("modalities")
                .has("image")).isFalse();

        ServiceTestClient.Response notAnImage = postForm(client, "acme", Map.of("modelId", model), "not a png".getBytes());
        assertThat(notAnImage.status()).isEqualTo(400);
        assertThat(notAnImage.contentType()).startsWith("application/problem+json");
        assertThat(postForm(client, "acme", Map.of("modelId", model), null).status()).as("nothing to classify").isEqualTo(422);
        assertThat(postForm(client, "acme", Map.of("text", "alpha"), null).status()).as("no model named").isEqualTo(422);
        assertThat(postForm(client, "acme", Map.of("modelId", "not-a-uuid", "text", "alpha"), null).status()).isEqualTo(400);
        assertThat(postForm(client, "globex", Map.of("modelId", model, "text", "alpha"), png.toByteArray()).status())
                .as("another tenant's model").isEqualTo(404);
        ServiceTestClient.Response tooLarge = postForm(client, "acme", Map.of("modelId", model), new byte[11 * 1024 * 1024]);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.contentType()).startsWith("application/problem+json");
        assertThat(tooLarge.body()).doesNotContain("Exception");
    }

    /** A multipart/form-data prediction: the fields, and the image as a binary part when given. */
    private static ServiceTestClient.Response postForm(ServiceTestClient client, String tenant, Map<String, String> fields,
            byte[] image) throws java.io.IOException {
        String boundary = "braid-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
                    + field.getValue() + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (image != null) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.png\"\r\n"
                    + "Content-Type: image/png\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            body.write(image);
            body.write("\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return client.post("/api/v1/predictions", tenant, dev.braid.common.security.Role.MEMBER,
                "multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    @Test
    void shouldServeTheDeployedModelKeepItWhenADeployFailsAndRollBack() throws Exception {
        ServiceTestClient client = new ServiceTestClient(port);
        UUID dataset = UUID.randomUUID();
        String first = register(client, "acme", dataset, artifact);
        String second = register(client, "acme", dataset, artifact);
        String broken = register(client, "acme", dataset, "not a model".getBytes());

        assertThat(client.postJson("/api/v1/predictions", "acme", Map.of("datasetId", dataset, "text", "alpha")).status())
                .as("nothing deployed yet").isEqualTo(404);
        assertThat(client.postJson("/api/v1/models/" + first + "/deploy", "acme", "{}").json().path("deployed").asBoolean()).isTrue();
        assertThat(predict(client, dataset).path("modelId").stringValue()).isEqualTo(first);

        ServiceTestClient.Response failed = client.postJson("/api/v1/models/" + broken + "/deploy", "acme", "{}");
        assertThat(failed.status()).isEqualTo(422);
        assertThat(failed.json().path("detail").stringValue()).contains("could not be loaded");
        assertThat(predict(client, dataset).path("modelId").stringValue()).as("the old model keeps serving").isEqualTo(first);

        client.postJson("/api/v1/models/" + second + "/deploy", "acme", "{}");
        assertThat(predict(client, dataset).path("modelId").stringValue()).isEqualTo(second);
        client.postJson("/api/v1/models/" + first + "/deploy", "acme", "{}");
        assertThat(predict(client, dataset).path("modelId").stringValue()).as("rollback").isEqualTo(first);
        assertThat(client.get("/api/v1/models/" + second, "acme").json().path("deployed").asBoolean()).isFalse();
    }

    @Test
    void shouldPredictEachModalityAloneAndBothAndRefuseBadInputs() throws Exception {
        ServiceTestClient client = new ServiceTestClient(port);
        String model = register(client, "acme", UUID.randomUUID(), artifact);
        SyntheticData.Sample sample = SyntheticData.sample(3, new Random(8));
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(sample.image(), "png", png);
        String image = Base64.getEncoder().encodeToString(png.toByteArray());

        JsonNode both = client.postJson("/api/v1/predictions", "acme", Map.of("modelId", model, "text", sample.text(),
                "imageBase64", image)).json();
        assertThat(both.path("label").stringValue()).isEqualTo("blue-beta");
        JsonNode imageOnly = client.postJson("/api/v1/predictions", "acme", Map.of("modelId", model, "imageBase64", image)).json();
        assertThat(imageOnly.path("modalities").has("text")).isFalse();
        assertThat(imageOnly.path("label").stringValue()).isIn("red-beta", "blue-beta", "red-alpha", "blue-alpha");
        JsonNode again = client.postJson("/api/v1/predictions", "acme", Map.of("modelId", model, "text", sample.text(),
                "imageBase64", image)).json();
        assertThat(again.path("probabilities")).as("deterministic").isEqualTo(both.path("probabilities"));

        JsonNode batch = client.postJson("/api/v1/predictions/batch", "acme", Map.of("modelId", model, "inputs",
                java.util.List.of(Map.of("text", sample.text()), Map.of("imageBase64", image)))).json();
        assertThat(batch.path("results").size()).isEqualTo(2);

        assertThat(client.postJson("/api/v1/predictions", "acme", Map.of("modelId", model, "imageBase64", "@@@")).status())
                .isEqualTo(400);
        assertThat(client.postJson("/api/v1/predictions", "acme", Map.of("modelId", model)).status()).isEqualTo(422);
        assertThat(client.postJson("/api/v1/predictions", "acme", Map.of("text", "x")).status()).isEqualTo(422);
        assertThat(client.postJson("/api/v1/predictions", "acme", "{not json").status()).isEqualTo(400);
        assertThat(client.postJson("/api/v1/predictions", "globex", Map.of("modelId", model, "text", "alpha")).status())
                .isEqualTo(404);
        assertThat(client.get("/api/v1/models/" + model, "globex").status()).isEqualTo(404);
    }

    @Test
    void shouldKeepServingWithoutAFailedRequestWhileDeploysAndRollbacksSwapTheModel() throws Exception {
        ServiceTestClient client = new ServiceTestClient(port);
        UUID dataset = UUID.randomUUID();
        String first = register(client, "acme", dataset, artifact);
        String second = register(client, "acme", dataset, artifact);
        client.postJson("/api/v1/models/" + first + "/deploy", "acme", "{}");

        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.Set<String> served = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Queue<String> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService load = java.util.concurrent.Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            load.submit(() -> {
                while (running.get()) {
                    ServiceTestClient.Response r = client.postJson("/api/v1/predictions", "acme",
                            Map.of("datasetId", dataset, "text", "help alpha now"));
                    if (r.status() == 200) {
                        served.add(r.json().path("modelId").stringValue());
                        answered.incrementAndGet();
                    }
                    else {
                        failures.add(r.status() + " " + r.body());
                    }
                }
            });
        }
        for (String model : List.of(second, first, second, first)) {
            awaitMoreAnswers(answered, 5);
            assertThat(client.postJson("/api/v1/models/" + model + "/deploy", "acme", "{}").status()).isEqualTo(200);
        }
        awaitMoreAnswers(answered, 5);
        running.set(false);
        load.shutdown();
        assertThat(load.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        assertThat(failures).as("requests that failed during the deploys").isEmpty();
        assertThat(answered.get()).isGreaterThan(20);
        assertThat(served).containsExactlyInAnyOrder(first, second);
        assertThat(predict(client, dataset).path("modelId").stringValue()).as("the last deploy, a rollback, serves").isEqualTo(first);
    }

    @Test
    void shouldRefuseABatchWhoseImagesTogetherPassThePixelBudgetBeforeDecodingAny() throws Exception {
        ServiceTestClient client = new ServiceTestClient(port);
        String model = register(client, "acme", UUID.randomUUID(), artifact);
        java.awt.image.BufferedImage large = new java.awt.image.BufferedImage(4096, 4096, java.awt.image.BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(large, "png", png);
        String image = Base64.getEncoder().encodeToString(png.toByteArray());

        ServiceTestClient.Response one = client.postJson("/api/v1/predictions/batch", "acme",
                Map.of("modelId", model, "inputs", List.of(Map.of("imageBase64", image))));
        assertThat(one.status()).as("16.8 M pixels fit the 32 M budget").isEqualTo(200);
        ServiceTestClient.Response three = client.postJson("/api/v1/predictions/batch", "acme",
                Map.of("modelId", model, "inputs", List.of(Map.of("imageBase64", image), Map.of("imageBase64", image),
                        Map.of("imageBase64", image))));
        assertThat(three.status()).isEqualTo(413);
        assertThat(three.json().path("detail").stringValue()).contains("50331648 pixels together").contains("33554432");
    }

    @Test
    void shouldAnswer429WithRetryAfterWhenTheModelsQueueIsFullAndBatchDeterministically() throws Exception {
        ServiceTestClient client = new ServiceTestClient(port);
        String model = register(client, "acme", UUID.randomUUID(), artifact);
        List<Map<String, String>> nine = new java.util.ArrayList<>();
        for (int i = 0; i < 9; i++) {
            nine.add(Map.of("text", "please alpha " + i));
        }

        ServiceTestClient.Response full = client.postJson("/api/v1/predictions/batch", "acme", Map.of("modelId", model, "inputs", nine));
        assertThat(full.status()).isEqualTo(429);
        assertThat(full.header("Retry-After")).isEqualTo("1");
        assertThat(full.json().path("type").stringValue()).endsWith("/queue-full");

        JsonNode batch = client.postJson("/api/v1/predictions/batch", "acme",
                Map.of("modelId", model, "inputs", nine.subList(0, 8))).json();
        JsonNode alone = client.postJson("/api/v1/predictions", "acme", Map.of("modelId", model, "text", "please alpha 3")).json();
        assertThat(batch.path("results").get(3).path("label")).isEqualTo(alone.path("label"));
        for (String label : SyntheticData.LABELS) {
            assertThat(batch.path("results").get(3).path("probabilities").path(label).asDouble())
                    .as("a prediction does not depend on its batch")
                    .isCloseTo(alone.path("probabilities").path(label).asDouble(), org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void shouldShowServingMetricsToAdminsOfTheirOwnModelsAndEverythingToTheOperator() throws Exception {
        ServiceTestClient client = new ServiceTestClient(port);
        String model = register(client, "acme", UUID.randomUUID(), artifact);
        String other = register(client, "globex", UUID.randomUUID(), artifact);
        client.postJson("/api/v1/predictions", "acme", Map.of("modelId", model, "text", "help alpha"));
        client.postJson("/api/v1/predictions", "globex", Map.of("modelId", other, "text", "help alpha"));

        assertThat(client.get("/api/v1/admin/metrics/inference", "acme").status()).isEqualTo(403);
        ServiceTestClient.Response metrics = client.get("/api/v1/admin/metrics/inference", "acme", "ADMIN");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("braid_inference_batch_size").contains("braid_inference_queue_time_seconds")
                .contains("braid_inference_latency_seconds_bucket").contains("model=\"" + model + "\"")
                .as("another tenant's models and the platform's JVM are not a tenant admin's business")
                .doesNotContain(other).doesNotContain("jvm_");

        ServiceTestClient.Response platform = client.get("/api/v1/admin/metrics/inference", "default", "OPERATOR");
        assertThat(platform.status()).isEqualTo(200);
        assertThat(platform.body()).contains("model=\"" + model + "\"").contains("model=\"" + other + "\"");
    }

    /** Waits for the load to get this many more answers, however slow the machine is, instead of a fixed time. */
    private static void awaitMoreAnswers(java.util.concurrent.atomic.AtomicInteger answered, int more) throws InterruptedException {
        int target = answered.get() + more;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        while (answered.get() < target) {
            assertThat(System.nanoTime()).as("the load got no answers for 2 minutes").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private JsonNode predict(ServiceTestClient client, UUID dataset) {
        ServiceTestClient.Response response = client.postJson("/api/v1/predictions", "acme",
                Map.of("datasetId", dataset, "text", "help alpha now"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }
}
