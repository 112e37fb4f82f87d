package dev.braid.privacy.budget;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.braid.privacy.PrivacyApplication;
import dev.braid.privacy.accountant.RdpAccountant;
import dev.braid.testing.EmbeddedPostgresExtension;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

/** The ledger on a real PostgreSQL, with two privacy-service instances sharing it. */
@ExtendWith(EmbeddedPostgresExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {ServiceTestClient.SECRET_PROPERTY, "braid.privacy.accountant.max-work=100000"})
class BudgetLedgerTests {

    private static final double DELTA = 1e-5;
    static ConfigurableApplicationContext secondInstance;

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @BeforeAll
    static void startSecondInstance() {
        secondInstance = new SpringApplicationBuilder(PrivacyApplication.class)
                .run("--server.port=0", "--" + ServiceTestClient.SECRET_PROPERTY, "--braid.platform.home=target/second-instance",
                        "--spring.datasource.url=" + EmbeddedPostgresExtension.jdbcUrl(), "--spring.datasource.username=postgres",
                        "--spring.datasource.password=postgres");
    }

    @AfterAll
    static void stopSecondInstance() {
        secondInstance.close();
    }

    @Test
    void shouldGrantConcurrentReservationsExactlyAsFarAsTheBudgetAllowsAcrossInstances() throws Exception {
        ServiceTestClient first = new ServiceTestClient(port);
        ServiceTestClient second = new ServiceTestClient(Integer.parseInt(secondInstance.getEnvironment().getProperty("local.server.port")));
        UUID dataset = budget(first, "acme", 3.0);
        double q = 0.01;
        double sigma = 1.0;
        long steps = 300;
        int fitting = 0;
        while (epsilon(List.of(new RdpAccountant.Mechanism(q, sigma, steps * (fitting + 1)))) <= 3.0) {
            fitting++;
        }
        assertThat(fitting).as("the scenario must overspend").isBetween(5, 95);

        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ServiceTestClient client = i % 2 == 0 ? first : second;
            statuses.add(pool.submit(() -> client.postJson("/internal/budgets/" + dataset + "/reservations", "acme",
                    Map.of("jobId", UUID.randomUUID(), "sampleRate", q, "noiseMultiplier", sigma, "steps", steps)).status()));
        }
        int granted = 0;
        int refused = 0;
        for (Future<Integer> status : statuses) {
            int code = status.get();
            granted += code == 201 ? 1 : 0;
            refused += code == 409 ? 1 : 0;
        }
        pool.shutdown();

        assertThat(granted).isEqualTo(fitting);
        assertThat(refused).isEqualTo(100 - fitting);
        JsonNode report = first.get("/api/v1/privacy/budgets/" + dataset, "acme").json();
        assertThat(report.path("epsilonRemaining").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(report.path("epsilonReserved").asDouble())
                .isCloseTo(epsilon(List.of(new RdpAccountant.Mechanism(q, sigma, steps * fitting))), withPercentage(1e-6));
        assertThat(report.path("entries").size()).isEqualTo(fitting);
    }

    @Test
    void shouldChargeWhatAJobRanAndComposeInRdpSpace() {
        ServiceTestClient client = new ServiceTestClient(port);
        UUID dataset = budget(client, "acme", 50.0);
        UUID early = UUID.randomUUID();
        UUID full = UUID.randomUUID();
        reserve(client, dataset, early, 0.02, 1.1, 1000);
        reserve(client, dataset, full, 0.01, 1.3, 500);

        // a crash between reserve and commit: the reservation is held, neither lost nor charged twice
        JsonNode held = client.get("/api/v1/privacy/budgets/" + dataset, "acme").json();
        assertThat(held.path("epsilonSpent").asDouble()).isZero();
        assertThat(held.path("epsilonReserved").asDouble()).isPositive();

        assertThat(commit(client, dataset, early, 400).status()).isEqualTo(200);
        assertThat(commit(client, dataset, early, 400).status()).as("a repeated commit changes nothing").isEqualTo(200);
        // a settlement retried after its answer was lost counts the steps of its last checkpoint, fewer than it charged:
        // the entry is settled, and stays as charged
        ServiceTestClient.Response retried = commit(client, dataset, early, 350);
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(retried.json().path("epsilon").asDouble()).isEqualTo(commit(client, dataset, early, 400).json().path("epsilon")
                .asDouble());
        ServiceTestClient.Response more = commit(client, dataset, early, 401);
        assertThat(more.status()).as("a final entry is never charged again").isEqualTo(409);
        assertThat(more.json().path("detail").stringValue()).contains("400 steps");
        assertThat(commit(client, dataset, full, 500).status()).isEqualTo(200);
        assertThat(client.postJson("/internal/budgets/" + dataset + "/reservations/" + full + "/release", "acme", "{}").status())
                .isEqualTo(409);

        JsonNode report = client.get("/api/v1/privacy/budgets/" + dataset, "acme").json();
        RdpAccountant.Mechanism ranEarly = new RdpAccountant.Mechanism(0.02, 1.1, 400);
        RdpAccountant.Mechanism ranFull = new RdpAccountant.Mechanism(0.01, 1.3, 500);
        double composed = epsilon(List.of(ranEarly, ranFull));
        double summed = epsilon(List.of(ranEarly)) + epsilon(List.of(ranFull));
        assertThat(report.path("epsilonSpent").asDouble()).isCloseTo(composed, withPercentage(1e-9));
        assertThat(report.path("epsilonSpentSum").asDouble()).isCloseTo(summed, withPercentage(1e-9));
        assertThat(composed).as("RDP composition is tighter than adding ε").isLessThan(summed);
        assertThat(report.path("epsilonReserved").asDouble()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(report.path("entries").findValuesAsString("state")).containsExactly("COMMITTED", "COMMITTED");
    }

    @Test
    void shouldRefuseAJobWhoseCurveWouldSumMoreTermsThanTheAccountantAllows() {
        // q at 0.5 and a very large σ: the fractional orders' series run long (about 190,000 terms; the limit here 100,000)
        ServiceTestClient client = new ServiceTestClient(port);
        UUID dataset = budget(client, "acme", 50.0);
        ServiceTestClient.Response refused = client.postJson("/internal/budgets/" + dataset + "/reservations", "acme",
                Map.of("jobId", UUID.randomUUID(), "sampleRate", 0.5, "noiseMultiplier", 1e4, "steps", 10));
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.json().path("type").stringValue()).endsWith("/too-much-work");
        assertThat(client.get("/api/v1/privacy/budgets/" + dataset, "acme").json().path("entries")).as("nothing reserved").isEmpty();
    }

    @Test
    void shouldRefuseAnOverspendWithWhatWasPlannedAndWhatIsLeft() {
        ServiceTestClient client = new ServiceTestClient(port);
        UUID dataset = budget(client, "acme", 0.5);
        ServiceTestClient.Response refused = client.postJson("/internal/budgets/" + dataset + "/reservations", "acme",
                Map.of("jobId", UUID.randomUUID(), "sampleRate", 0.1, "noiseMultiplier", 0.8, "steps", 10_000));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("detail").stringValue()).contains("planned ε").contains("remaining ε of 0.5000");
        assertThat(client.get("/api/v1/privacy/budgets/" + dataset, "acme").json().path("entries")).isEmpty();
        assertThat(client.get("/api/v1/privacy/budgets/" + dataset, "globex").status()).isEqualTo(404);
        assertThat(client.postJson("/internal/budgets/" + dataset + "/reservations", "globex",
                Map.of("jobId", UUID.randomUUID(), "sampleRate", 0.1, "noiseMultiplier", 5, "steps", 1)).status()).isEqualTo(404);
    }

    @Test
    void shouldChargeASelectionMechanismOnlyWhenItRan() {
        ServiceTestClient client = new ServiceTestClient(port);
        UUID dataset = budget(client, "acme", 20.0);
        UUID ran = UUID.randomUUID();
        UUID skipped = UUID.randomUUID();
        for (UUID job : List.of(ran, skipped)) {
            ServiceTestClient.Response reserved = client.postJson("/internal/budgets/" + dataset + "/reservations", "acme",
                    Map.of("jobId", job, "sampleRate", 0.05, "noiseMultiplier", 1.0, "steps", 200, "selectionNoiseMultiplier", 4.0));
            assertThat(reserved.status()).isEqualTo(201);
            assertThat(reserved.json().path("epsilon").asDouble()).isCloseTo(epsilon(List.of(
                    new RdpAccountant.Mechanism(0.05, 1.0, 200), new RdpAccountant.Mechanism(1, 4.0, 1))), withPercentage(1e-6));
        }

        JsonNode withSelection = client.postJson("/internal/budgets/" + dataset + "/reservations/" + ran + "/commit", "acme",
                Map.of("steps", 150, "selectionRun", true)).json();
        JsonNode without = commit(client, dataset, skipped, 150).json();

        double sgdOnly = epsilon(List.of(new RdpAccountant.Mechanism(0.05, 1.0, 150)));
        assertThat(withSelection.path("epsilon").asDouble()).isCloseTo(epsilon(List.of(
                new RdpAccountant.Mechanism(0.05, 1.0, 150), new RdpAccountant.Mechanism(1, 4.0, 1))), withPercentage(1e-6))
                .isGreaterThan(sgdOnly);
        assertThat(without.path("epsilon").asDouble()).isCloseTo(sgdOnly, withPercentage(1e-6));
    }

    @Test
    void shouldNeverLetATailJobOrAnInvalidCurveOpenRoomForAnOverspend() {
        ServiceTestClient client = new ServiceTestClient(port);
        UUID dataset = budget(client, "acme", 1.0);
        // q = 0.004 at σ = 6 is deep in log-erfc's lower tail; its curve once came out negative
        UUID tail = UUID.randomUUID();
        ServiceTestClient.Response reserved = client.postJson("/internal/budgets/" + dataset + "/reservations", "acme",
                Map.of("jobId", tail, "sampleRate", 0.004, "noiseMultiplier", 6, "steps", 250));
        assertThat(reserved.status()).isEqualTo(201);
        assertThat(reserved.json().path("epsilon").asDouble()).isBetween(0.09, 0.12);

        ServiceTestClient.Response noNoise = client.postJson("/internal/budgets/" + dataset + "/reservations", "acme",
                Map.of("jobId", UUID.randomUUID(), "sampleRate", 0.1, "noiseMultiplier", 0, "steps", 10));
        assertThat(noNoise.status()).isEqualTo(422);
        assertThat(noNoise.json().path("type").stringValue()).endsWith("/invalid-privacy-curve");

        // a stored curve that is not finite and >= 0 (an old accountant's, or a tampered row) is never composed as it stands
        jdbc.sql("update privacy.ledger_entry set rdp = array_fill(-1e6::float8, array[cardinality(rdp)]) where job_id = ?")
                .param(tail).update();
        ServiceTestClient.Response next = client.postJson("/internal/budgets/" + dataset + "/reservations", "acme",
                Map.of("jobId", UUID.randomUUID(), "sampleRate", 0.1, "noiseMultiplier", 0.8, "steps", 10_000));
        assertThat(next.status()).isEqualTo(409);
        JsonNode report = client.get("/api/v1/privacy/budgets/" + dataset, "acme").json();
        assertThat(report.path("entries").size()).isEqualTo(1);
        assertThat(report.path("epsilonRemaining").asDouble()).as("the tampered curve is computed again from its parameters")
                .isCloseTo(1.0 - epsilon(List.of(new RdpAccountant.Mechanism(0.004, 6, 250))), withPercentage(1e-6));
    }

    @Test
    void shouldListHeldReservationsOfEveryTenantToServicesOnly() {
        ServiceTestClient client = new ServiceTestClient(port);
        UUID acme = budget(client, "acme", 5.0);
        UUID globex = budget(client, "globex", 5.0);
        UUID held = UUID.randomUUID();
        UUID released = UUID.randomUUID();
        reserve(client, acme, held, 0.01, 1.0, 10);
        reserve(client, acme, released, 0.01, 1.0, 10);
        client.postJson("/internal/budgets/" + acme + "/reservations/" + released + "/release", "acme", "{}");
        UUID other = UUID.randomUUID();
        assertThat(client.postJson("/internal/budgets/" + globex + "/reservations", "globex",
                Map.of("jobId", other, "sampleRate", 0.01, "noiseMultiplier", 1.0, "steps", 10)).status()).isEqualTo(201);

        JsonNode open = client.get("/internal/reservations/open?olderThanSeconds=0", "system").json();
        assertThat(open.findValuesAsString("jobId")).contains(held.toString(), other.toString()).doesNotContain(released.toString());
        assertThat(client.get("/internal/reservations/open?olderThanSeconds=3600", "system").json().findValuesAsString("jobId"))
                .as("none is an hour old").doesNotContain(held.toString());
        assertThat(client.postJsonWithClientToken("/internal/budgets/" + acme + "/reservations/" + held + "/release", "acme", "{}")
                .status()).as("a client's token never reaches the ledger's internals").isEqualTo(403);
    }

    private static double epsilon(List<RdpAccountant.Mechanism> mechanisms) {
        return RdpAccountant.epsilon(mechanisms, DELTA, RdpAccountant.DEFAULT_ORDERS).epsilon();
    }

    private static UUID budget(ServiceTestClient client, String tenant, double epsilon) {
        UUID dataset = UUID.randomUUID();
        assertThat(client.postJson("/internal/budgets", tenant, Map.of("datasetId", dataset, "epsilonBudget", epsilon,
                "delta", DELTA)).status()).isEqualTo(201);
        return dataset;
    }

    private static void reserve(ServiceTestClient client, UUID dataset, UUID job, double q, double sigma, long steps) {
        assertThat(client.postJson("/internal/budgets/" + dataset + "/reservations", "acme",
                Map.of("jobId", job, "sampleRate", q, "noiseMultiplier", sigma, "steps", steps)).status()).isEqualTo(201);
    }

    private static ServiceTestClient.Response commit(ServiceTestClient client, UUID dataset, UUID job, long steps) {
        return client.postJson("/internal/budgets/" + dataset + "/reservations/" + job + "/commit", "acme", Map.of("steps", steps));
    }
}
