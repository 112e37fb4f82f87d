package dev.braid.privacy.keys;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.braid.common.security.Role;
import dev.braid.privacy.PrivacyProperties;
import dev.braid.testing.EmbeddedPostgresExtension;
import dev.braid.testing.ServiceTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith({EmbeddedPostgresExtension.class, OutputCaptureExtension.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {ServiceTestClient.SECRET_PROPERTY, "braid.privacy.rewrap.interval=1h", "braid.privacy.rewrap.batch-size=2"})
class KeyManagementTests {

    @TempDir
    static Path home;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TenantKeyRing rings;

    @Autowired
    KeyAudit audit;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    PrivacyProperties properties;

    @DynamicPropertySource
    static void home(DynamicPropertyRegistry registry) {
        registry.add("braid.platform.home", home::toString);
    }

    @Test
    void shouldBindAWrappedKeyToItsTenantAndDataset(CapturedOutput output) {
        ServiceTestClient client = new ServiceTestClient(port);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        var created = client.postJson("/internal/keys/data-keys/" + a, "acme", "{}");
        assertThat(created.status()).isEqualTo(201);
        String key = created.json().path("dataKey").stringValue();
        String wrapped = created.json().path("wrappedKey").stringValue();
        client.postJson("/internal/keys/data-keys/" + b, "acme", "{}");

        assertThat(unwrap(client, "acme", a, null).json().path("dataKey").stringValue()).isEqualTo(key);
        assertThat(unwrap(client, "acme", a, wrapped).json().path("dataKey").stringValue()).isEqualTo(key);
        assertThat(unwrap(client, "acme", b, wrapped).status()).as("A's key presented for B").isEqualTo(422);
        assertThat(unwrap(client, "globex", a, wrapped).status()).as("another tenant").isEqualTo(404);
        assertThat(client.postJson("/internal/keys/data-keys/" + a, "acme", "{}").status()).as("created once").isEqualTo(409);

        assertThat(output.getAll()).doesNotContain(key).doesNotContain(wrapped);
        assertThat(jdbc.sql("select count(*) from privacy.key_audit where dataset_id = ? and operation = 'DATA_KEY_UNWRAPPED'")
                .param(a).query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void shouldShredADestroyedKeyEvenForACallerThatKeptAWrappedCopy() {
        ServiceTestClient client = new ServiceTestClient(port);
        UUID dataset = UUID.randomUUID();
        String wrapped = client.postJson("/internal/keys/data-keys/" + dataset, "acme", "{}").json().path("wrappedKey").stringValue();

        assertThat(client.delete("/internal/keys/data-keys/" + dataset, "acme").status()).isEqualTo(204);

        assertThat(unwrap(client, "acme", dataset, null).status()).isEqualTo(410);
        assertThat(unwrap(client, "acme", dataset, wrapped).status()).isEqualTo(410);
        assertThat(jdbc.sql("select wrapped is null from privacy.data_key where dataset_id = ?").param(dataset)
                .query(Boolean.class).single()).as("the wrapped key is gone from the database").isTrue();
        assertThat(client.postJson("/internal/keys/data-keys/" + dataset, "acme", "{}").status()).as("never again").isEqualTo(409);
    }

    @Test
    void shouldRotateRewrapAcrossARestartAndRetireTheOldVersion() {
        ServiceTestClient client = new ServiceTestClient(port);
        Map<UUID, String> keys = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            UUID dataset = UUID.randomUUID();
            keys.put(dataset, client.postJson("/internal/keys/data-keys/" + dataset, "rotating", "{}").json().path("dataKey").stringValue());
        }
        assertThat(client.post("/api/v1/privacy/keys/rotate", "rotating", Role.MEMBER, "application/json", new byte[0]).status())
                .as("members may not rotate").isEqualTo(403);

        var rotated = client.post("/api/v1/privacy/keys/rotate", "rotating", Role.ADMIN, "application/json", new byte[0]);
        assertThat(rotated.status()).isEqualTo(202);
        assertThat(rotated.json().path("pendingRewrap").asLong()).isEqualTo(5);
        assertThat(rotated.json().path("keyVersions").size()).isEqualTo(2);
        keys.forEach((dataset, key) -> assertThat(unwrap(client, "rotating", dataset, null).json().path("dataKey").stringValue())
                .as("old version still decrypts before the rewrap").isEqualTo(key));

        assertThat(newRewrapper().rewrapBatch("rotating")).isEqualTo(2);
        // a restart: a fresh rewrapper with no memory of the first carries on from the rows
        Rewrapper afterRestart = newRewrapper();
        afterRestart.run();

        var status = client.get("/api/v1/privacy/keys", "rotating").json();
        assertThat(status.path("pendingRewrap").asLong()).isZero();
        assertThat(status.path("keyVersions").size()).as("old version retired").isEqualTo(1);
        keys.forEach((dataset, key) -> assertThat(unwrap(client, "rotating", dataset, null).json().path("dataKey").stringValue())
                .isEqualTo(key));
        List<String> operations = jdbc.sql("select operation from privacy.key_audit where tenant_id = 'rotating' order by id")
                .query(String.class).list();
        assertThat(operations).contains("KEK_CREATED", "KEK_ROTATED", "DATA_KEYS_REWRAPPED", "KEK_VERSION_RETIRED");
    }

    @Test
    void shouldKeepTheAuditAppendOnly() {
        audit.record("acme", "TEST", null, null, null);
        assertThatThrownBy(() -> jdbc.sql("update privacy.key_audit set actor = 'someone else'").update())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("delete from privacy.key_audit").update()).hasMessageContaining("append-only");
    }

    private Rewrapper newRewrapper() {
        return new Rewrapper(jdbc, rings, audit, transactions, properties);
    }

    private static ServiceTestClient.Response unwrap(ServiceTestClient client, String tenant, UUID dataset, String wrapped) {
        Map<String, Object> body = new HashMap<>();
        if (wrapped != null) {
            body.put("wrappedKey", wrapped);
        }
        return client.postJson("/internal/keys/data-keys/" + dataset + "/unwrap", tenant, body);
    }
}
