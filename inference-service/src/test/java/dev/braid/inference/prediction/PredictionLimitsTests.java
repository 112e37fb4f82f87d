package dev.braid.inference.prediction;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.braid.inference.registry.RegisteredModelsTest;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests built to make the service decode or tokenise far more than they are worth: images for a model that does
 * not exist, decoded pixels held by many requests at once, and a text no record could carry.
 */
class PredictionLimitsTests extends RegisteredModelsTest {

    @Autowired
    DecodedPixels decodedPixels;

    @Test
    void shouldLookTheModelUpBeforeReadingAnyImage() {
        ServiceTestClient client = new ServiceTestClient(port);
        // images that would be refused as broken, for a model that does not exist: the model is what is refused
        ServiceTestClient.Response unknown = client.postJson("/api/v1/predictions/batch", "acme", Map.of("modelId", UUID.randomUUID(),
                "inputs", List.of(Map.of("imageBase64", "@@@not-an-image"), Map.of("imageBase64", "@@@"))));
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
        ServiceTestClient.Response noDeployment = client.postJson("/api/v1/predictions", "acme", Map.of("datasetId", UUID.randomUUID(),
                "imageBase64", "@@@not-an-image"));
        assertThat(noDeployment.status()).as(noDeployment.body()).isEqualTo(404);
    }

    @Test
    void shouldRefuseATextLongerThanARecordMayCarryBeforeTokenisingIt() throws Exception {
        ServiceTestClient client = new ServiceTestClient(port);
        String model = register(client, "acme", UUID.randomUUID(), artifact);
        ServiceTestClient.Response longest = client.postJson("/api/v1/predictions", "acme", Map.of("modelId", model,
                "text", "alpha ".repeat(20_000 / 6)));
        assertThat(longest.status()).as(longest.body()).isEqualTo(200);
        ServiceTestClient.Response tooLong = client.postJson("/api/v1/predictions/batch", "acme", Map.of("modelId", model,
                "inputs", List.of(Map.of("text", "fine"), Map.of("text", "a".repeat(20_001)))));
        assertThat(tooLong.status()).as(tooLong.body()).isEqualTo(413);
        assertThat(tooLong.json().path("type").stringValue()).endsWith("/text-too-long");
        assertThat(tooLong.json().path("detail").stringValue()).startsWith("inputs[1]: ").contains("20001 characters")
                .contains("20000");
    }

    @Test
    void shouldAnswer503WhileOtherRequestsHoldEveryDecodedPixelTheServiceAllows() throws Exception {
        ServiceTestClient client = new ServiceTestClient(port);
        String model = register(client, "acme", UUID.randomUUID(), artifact);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "png", png);
        Map<String, Object> small = Map.of("modelId", model, "imageBase64", Base64.getEncoder().encodeToString(png.toByteArray()));
        long all = decodedPixels.available();
        try (DecodedPixels.Lease others = decodedPixels.take(all)) {
            ServiceTestClient.Response busy = client.postJson("/api/v1/predictions", "acme", small);
            assertThat(busy.status()).as(busy.body()).isEqualTo(503);
            assertThat(busy.header("Retry-After")).isNotNull();
            assertThat(client.postJson("/api/v1/predictions", "acme", Map.of("modelId", model, "text", "alpha")).status())
                    .as("a text needs no pixels").isEqualTo(200);
        }
        assertThat(client.postJson("/api/v1/predictions", "acme", small).status()).isEqualTo(200);
        // given back once the batch holding the decoded images has run, which the answer does not wait to see
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
        while (decodedPixels.available() != all) {
            assertThat(System.nanoTime()).as("every request gives its pixels back").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
