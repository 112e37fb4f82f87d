package dev.braid.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.braid.common.security.InternalTokenCodec;
import dev.braid.common.security.Role;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway as the platform's one door, seen from outside: health without a key and nothing else, key
 * management kept to admins, paths that could resolve elsewhere, service ports refused, request ids, the one
 * public document, CORS, body and rate limits, and the bootstrap secrets kept private.
 */
class GatewayEdgeTests extends PlatformTest {

    @Test
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
    void shouldKeepTheOperatorKeyOutOfEveryTenantAdminsReach() {
        // the operator key belongs to tenant default; an admin of default thinks like an attacker
        String defaultAdmin = createKey("default", "admin");
        JsonNode seen = gateway.get("/api/v1/admin/api-keys?size=500", defaultAdmin).json();
        assertThat(seen.path("items").findValuesAsString("role")).isNotEmpty().doesNotContain("operator");
        assertThat(seen.path("total").asLong()).as("counted as listed").isEqualTo(seen.path("items").size());
        String operatorId = null;
        for (JsonNode key : gateway.get("/api/v1/admin/api-keys?tenant=default&size=500", ADMIN_KEY).json().path("items")) {
            if ("operator".equals(key.path("role").stringValue()) && key.path("revokedAt").isMissingNode()) {
                operatorId = key.path("id").stringValue();
            }
        }
        assertThat(operatorId).as("the operator sees its own key").isNotNull();

        Http.Response throttle = gateway.patchJson("/api/v1/admin/api-keys/" + operatorId, defaultAdmin,
                Map.of("rateLimit", Map.of("requestsPerSecond", 1, "burst", 1)));
        assertThat(throttle.status()).as(throttle.body()).isEqualTo(404);
        Http.Response revoke = gateway.delete("/api/v1/admin/api-keys/" + operatorId, defaultAdmin);
        assertThat(revoke.status()).as(revoke.body()).isEqualTo(404);

        JsonNode operator = gateway.get("/api/v1/admin/api-keys?tenant=default&size=500", ADMIN_KEY).json();
        for (JsonNode key : operator.path("items")) {
            if (key.path("id").stringValue().equals(operatorId)) {
                assertThat(key.has("revokedAt")).isFalse();
                assertThat(key.has("rateLimit")).isFalse();
            }
        }
        assertThat(gateway.get("/api/v1/admin/api-keys?tenant=globex", ADMIN_KEY).status()).as("still the operator").isEqualTo(200);
    }

    @Test
    void shouldRestoreTheOperatorKeyOfBraidAdminKeyWhenTheGatewayRestarts() throws Exception {
        // a key demoted and throttled before only an operator could touch it (or by hand in the database); a revoked one
        // would stop the start instead (BootstrapAndKeysTests)
        try (var db = java.sql.DriverManager.getConnection(dev.braid.testing.EmbeddedPostgresExtension.jdbcUrl(), "postgres",
                "postgres"); var update = db.createStatement()) {
            assertThat(update.executeUpdate("update gateway.api_key set role = 'ADMIN',"
                    + " rate_limit_per_second = 1, rate_limit_burst = 1 where name = 'bootstrap (BRAID_ADMIN_KEY)'")).isEqualTo(1);
        }
        Process old = platform.process("gateway-service");
        old.destroyForcibly().waitFor();
        long deadline = System.nanoTime() + E2ePlatform.START_WAIT.toNanos();
        Http.Response operatorOnly = null;
        while (System.nanoTime() < deadline && (operatorOnly == null || operatorOnly.status() != 200)) {
            Thread.sleep(500);
            if (platform.process("gateway-service") != old) {
                try {
                    operatorOnly = gateway.get("/api/v1/admin/api-keys?tenant=globex", ADMIN_KEY);
                }
                catch (RuntimeException ex) {
                    // the new gateway is not listening yet
                }
            }
        }
        assertThat(operatorOnly).as("the gateway came back").isNotNull();
        assertThat(operatorOnly.status()).as("another tenant's keys: the operator again").isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            assertThat(gateway.get("/api/v1/datasets", ADMIN_KEY).status()).as("no limit of 1/s left on it").isEqualTo(200);
        }
        String log = Files.readString(platform.home().resolve("logs").resolve("gateway-service.log"));
        assertThat(log).contains("is the unlimited operator key of tenant 'default' again");
    }

    @Test
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
    void shouldRefuseEveryServicePortCalledDirectly() throws IOException {
        String datasetId = datasetWithRecords("direct", 0);
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
    void shouldPropagateRequestIdsAndServeOnePublicDocumentThatIsTheCommittedOne() throws IOException, InterruptedException {
        Http.Response response = gateway.get("/api/v1/datasets", acmeKey, "X-Request-Id", "e2e-trace-42");
        assertThat(response.header("X-Request-Id")).isEqualTo("e2e-trace-42");
        assertThat(gateway.get("/api/v1/datasets", acmeKey, "X-Request-Id", "bad id\twith tabs").header("X-Request-Id"))
                .isNotEqualTo("bad id\twith tabs").isNotBlank();

        Http.Response docs = gateway.get("/v3/api-docs", null);
        // a service still building its document answers 503 with Retry-After, as documented; a client waits and asks
        // again, for as long as a service may take to start on a slow machine
        long deadline = System.nanoTime() + E2ePlatform.START_WAIT.toNanos();
        while (docs.status() == 503 && System.nanoTime() < deadline) {
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
    void shouldLimitBodySizeAndRatePerKey() throws IOException {
        String datasetId = datasetWithRecords("limits", 0);
        String modelId = java.util.UUID.randomUUID().toString(); // the gateway refuses the body before any service looks
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
}
