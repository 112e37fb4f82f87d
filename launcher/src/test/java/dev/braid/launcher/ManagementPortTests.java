package dev.braid.launcher;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operations as Kubernetes expects them: each service's actuator on its own port (probes, info, prometheus with
 * the service's own meters), and nothing but a status on the service and gateway ports.
 */
class ManagementPortTests extends PlatformTest {

    @Test
    void shouldServeHealthInfoAndPrometheusOnEachServicesManagementPortAndOnlyStatusOnItsServicePort() throws IOException {
        // work for each service to meter: an upload through the gateway (which creates the dataset's key in privacy)
        datasetWithRecords("metered", 8);
        Map<String, String> ownMeter = Map.of("dataset-service", "braid_ingest_records_total{",
                "training-service", "braid_training_running{", "inference-service", "braid_inference_models_loaded{",
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
}
