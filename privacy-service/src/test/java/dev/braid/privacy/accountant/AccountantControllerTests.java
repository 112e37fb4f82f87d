package dev.braid.privacy.accountant;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.braid.common.testing.EmbeddedPostgresExtension;
import dev.braid.common.testing.ServiceTestClient;

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
        var noNoise = client.postJson("/api/v1/privacy/accountant", "acme",
                "{\"delta\":1e-5,\"mechanisms\":[{\"sampleRate\":0.1,\"noiseMultiplier\":0,\"steps\":1}]}");
        assertThat(noNoise.status()).isEqualTo(422);
        assertThat(noNoise.json().path("type").stringValue()).endsWith("/no-finite-guarantee");
    }
}
