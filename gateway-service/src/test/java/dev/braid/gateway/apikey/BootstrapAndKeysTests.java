package dev.braid.gateway.apikey;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.common.testing.EmbeddedPostgresExtension;
import dev.braid.common.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway on its own, services down: bootstrap key, key management, and problems for what it cannot route. */
@ExtendWith(EmbeddedPostgresExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {ServiceTestClient.SECRET_PROPERTY,
        "braid.gateway.admin-key=", "braid.gateway.services.dataset=http://127.0.0.1:9",
        "braid.gateway.services.training=http://127.0.0.1:9", "braid.gateway.services.inference=http://127.0.0.1:9",
        "braid.gateway.services.privacy=http://127.0.0.1:9", "braid.gateway.cors.allowed-origins=https://app.example.com"})
class BootstrapAndKeysTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path home;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void home(DynamicPropertyRegistry registry) {
        registry.add("braid.platform.home", home::toString);
    }

    @Test
    void shouldCreateARandomAdminKeyOnceInAnOwnerOnlyFileAndStoreOnlyItsHash() throws Exception {
        Path file = home.resolve("admin.key");
        String key = Files.readString(file).strip();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(key).startsWith("braid_").hasSizeGreaterThan(40);
        assertThat(send("GET", "/api/v1/admin/api-keys?tenant=default", key, null).statusCode()).isEqualTo(200);
        assertThat(jdbc.sql("select count(*) from gateway.api_key where encode(key_hash, 'escape') like ?")
                .param("%" + key + "%").query(Long.class).single()).isZero();
    }

    @Test
    void shouldCreateAMemberKeyThatCannotManageKeysAndRevokeIt() throws Exception {
        String admin = Files.readString(home.resolve("admin.key")).strip();
        HttpResponse<String> created = send("POST", "/api/v1/admin/api-keys", admin, "{\"tenant\":\"acme\",\"role\":\"member\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        String member = body.path("key").stringValue();

        assertThat(send("POST", "/api/v1/admin/api-keys", member, "{\"tenant\":\"acme\",\"role\":\"admin\"}").statusCode())
                .isEqualTo(403);
        assertThat(send("POST", "/api/v1/admin/api-keys", admin, "{\"tenant\":\"acme\",\"role\":\"owner\"}").statusCode())
                .isEqualTo(400);
        assertThat(send("DELETE", "/api/v1/admin/api-keys/" + body.path("id").stringValue(), admin, null).statusCode())
                .isEqualTo(204);
        assertThat(send("GET", "/api/v1/datasets", member, null).statusCode()).as("revoked").isEqualTo(401);
    }

    @Test
    void shouldAnswerProblemsForUnknownPathsAndServicesThatAreDown() throws Exception {
        String admin = Files.readString(home.resolve("admin.key")).strip();

        HttpResponse<String> unknown = send("GET", "/api/v1/nothing-here", admin, null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");

        HttpResponse<String> down = send("GET", "/api/v1/datasets", admin, null);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(down.body()).path("type").stringValue()).endsWith("/service-unavailable");
        assertThat(down.body()).doesNotContain("Exception").doesNotContain("127.0.0.1");
    }

    @Test
    void shouldAnswerCorsPreflightForAllowedOriginsOnlyAndWithoutAKey() throws Exception {
        HttpResponse<String> allowed = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/datasets"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");

        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/datasets"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example.net")
                .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
    }

    private HttpResponse<String> send(String method, String path, String key, String json) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + key)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
