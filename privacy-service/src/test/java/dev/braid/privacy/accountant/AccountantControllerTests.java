package dev.braid.privacy.accountant;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.braid.testing.EmbeddedPostgresExtension;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

@ExtendWith(EmbeddedPostgresExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = ServiceTestClient.SECRET_PROPERTY)
class AccountantControllerTests {

    @LocalServerPort
    int port;

    @Test
    void shouldAnswerTheContractShapes() {
        ServiceTestClient client = new ServiceTestClient(port);
        var epsilon = client.postJson("/api/v1/privacy/accountant", "acme", Map.of("delta", 1e-5,
                "mechanisms", List.of(Map.of("sampleRate", 0.004, "noiseMultiplier", 1.1, "steps", 15000))));
        assertThat(epsilon.status()).isEqualTo(200);
        double expected = RdpAccountant.epsilon(List.of(new RdpAccountant.Mechanism(0.004, 1.1, 15000)), 1e-5,
                RdpAccountant.DEFAULT_ORDERS).epsilon();
        assertThat(epsilon.json().path("epsilon").asDouble()).isCloseTo(expected, withPercentage(1e-12));
        assertThat(RdpAccountant.DEFAULT_ORDERS).contains(epsilon.json().path("order").asDouble());

        var noise = client.postJson("/api/v1/privacy/accountant/noise-multiplier", "acme",
                Map.of("targetEpsilon", 3.0, "delta", 1e-5, "sampleRate", 0.004, "steps", 15000));
        assertThat(noise.status()).isEqualTo(200);
        assertThat(noise.json().path("epsilon").asDouble()).isLessThanOrEqualTo(3.0).isGreaterThan(2.99);
    }

    @Test
    void shouldRefuseInvalidInputWithA400Problem() {
        ServiceTestClient client = new ServiceTestClient(port);
        List<String> bodies = List.of(
                "{\"delta\":1e-5,\"mechanisms\":[{\"sampleRate\":1.5,\"noiseMultiplier\":1,\"steps\":1}]}",
                "{\"delta\":1,\"mechanisms\":[{\"sampleRate\":0.1,\"noiseMultiplier\":1,\"steps\":1}]}",
                "{\"delta\":0,\"mechanisms\":[{\"sampleRate\":0.1,\"noiseMultiplier\":1,\"steps\":1}]}",
                "{\"delta\":1e-5,\"mechanisms\":[{\"sampleRate\":0.1,\"noiseMultiplier\":1,\"steps\":-3}]}",
                "{\"delta\":1e-5,\"mechanisms\":[{\"sampleRate\":NaN,\"noiseMultiplier\":1,\"steps\":1}]}",
                "{\"delta\":1e-5,\"mechanisms\":[{\"sampleRate\":0.1,\"noiseMultiplier\":-1,\"steps\":1}]}",
                "{\"delta\":1e-5,\"mechanisms\":[]}",
                "{\"delta\":1e-5,\"mechanisms\":[{\"sampleRate\":0.1,\"noiseMultiplier\":1,\"steps\":1}],\"orders\":[0.5]}",
                "not json");
        for (String body : bodies) {
            var response = client.postJson("/api/v1/privacy/accountant", "acme", body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.contentType()).as(body).startsWith("application/problem+json");
        }
        var tinyTolerance = client.postJson("/api/v1/privacy/accountant/noise-multiplier", "acme",
                Map.of("targetEpsilon", 3.0, "delta", 1e-5, "sampleRate", 0.004, "steps", 15000, "epsilonTolerance", 1e-300));
        assertThat(tinyTolerance.status()).isEqualTo(400);
        assertThat(tinyTolerance.json().path("detail").stringValue()).contains("epsilonTolerance").contains("1e-6");
        var hugeOrder = client.postJson("/api/v1/privacy/accountant", "acme",
                "{\"delta\":1e-5,\"mechanisms\":[{\"sampleRate\":0.1,\"noiseMultiplier\":1,\"steps\":1}],\"orders\":[99999]}");
        assertThat(hugeOrder.status()).isEqualTo(400);
        assertThat(hugeOrder.json().path("detail").stringValue()).contains("1024");
        var noNoise = client.postJson("/api/v1/privacy/accountant", "acme",
                "{\"delta\":1e-5,\"mechanisms\":[{\"sampleRate\":0.1,\"noiseMultiplier\":0,\"steps\":1}]}");
        assertThat(noNoise.status()).isEqualTo(422);
        assertThat(noNoise.json().path("type").stringValue()).endsWith("/no-finite-guarantee");
    }

    @Test
    void shouldBoundTheWorkOfOneRequestAndSayTheLimit() {
        ServiceTestClient client = new ServiceTestClient(port);
        Map<String, Object> mechanism = Map.of("sampleRate", 0.3, "noiseMultiplier", 50, "steps", 1);
        var manyMechanisms = client.postJson("/api/v1/privacy/accountant", "acme",
                Map.of("delta", 1e-5, "mechanisms", java.util.Collections.nCopies(65, mechanism)));
        assertThat(manyMechanisms.status()).isEqualTo(400);
        assertThat(manyMechanisms.json().path("detail").stringValue()).contains("At most 64 mechanisms");

        List<Double> orders = new java.util.ArrayList<>();
        for (int i = 0; i < 257; i++) {
            orders.add(2 + i * 0.5);
        }
        var manyOrders = client.postJson("/api/v1/privacy/accountant", "acme",
                Map.of("delta", 1e-5, "mechanisms", List.of(mechanism), "orders", orders));
        assertThat(manyOrders.status()).isEqualTo(400);
        assertThat(manyOrders.json().path("detail").stringValue()).contains("At most 256 orders");

        var tooMuch = client.postJson("/api/v1/privacy/accountant", "acme",
                Map.of("delta", 1e-5, "mechanisms", java.util.Collections.nCopies(14, mechanism)));
        assertThat(tooMuch.status()).isEqualTo(400);
        assertThat(tooMuch.json().path("detail").stringValue()).contains("At most 2048 mechanism-order pairs");
    }

    @Test
    void shouldAnswerTheTailSettingsWithAPositiveEpsilon() {
        ServiceTestClient client = new ServiceTestClient(port);
        var tail = client.postJson("/api/v1/privacy/accountant", "acme", Map.of("delta", 1e-5,
                "mechanisms", List.of(Map.of("sampleRate", 0.004, "noiseMultiplier", 6, "steps", 250))));
        assertThat(tail.status()).isEqualTo(200);
        assertThat(tail.json().path("epsilon").asDouble()).isBetween(0.09, 0.12);
        var nothing = client.postJson("/api/v1/privacy/accountant", "acme", Map.of("delta", 0.9,
                "mechanisms", List.of(Map.of("sampleRate", 0, "noiseMultiplier", 1, "steps", 10))));
        assertThat(nothing.status()).isEqualTo(200);
        assertThat(nothing.json().path("epsilon").asDouble()).as("a conversion below zero is no budget to hand back").isZero();
    }
}
