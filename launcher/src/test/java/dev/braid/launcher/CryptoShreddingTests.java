package dev.braid.launcher;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.braid.common.security.InternalTokenCodec;
import dev.braid.common.security.Role;
import dev.braid.testing.EmbeddedPostgresExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records encrypted at rest, their data key opened only for services, and destroyed with the dataset.
 */
class CryptoShreddingTests extends PlatformTest {

    @Test
    void shouldStoreRecordsEncryptedAndCryptoShredThemOnDelete() throws Exception {
        Http.Response created = gateway.postJson("/api/v1/datasets", acmeKey, Map.of("name", "shred", "labels", List.of("x")));
        String shredId = created.json().path("id").stringValue();
        gateway.post("/api/v1/datasets/" + shredId + "/records", acmeKey, "application/x-ndjson",
                "{\"text\":\"the secret word is marmalade\",\"label\":\"x\"}\n".getBytes(StandardCharsets.UTF_8));
        byte[] ciphertext;
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(EmbeddedPostgresExtension.jdbcUrl(), "postgres", "postgres");
                var query = db.prepareStatement("select text_ct from dataset.record where dataset_id = ?::uuid")) {
            query.setString(1, shredId);
            try (var rs = query.executeQuery()) {
                assertThat(rs.next()).isTrue();
                ciphertext = rs.getBytes(1);
            }
        }
        assertThat(new String(ciphertext, StandardCharsets.ISO_8859_1)).doesNotContain("marmalade");
        Http privacy = new Http("http://localhost:" + platform.port("privacy-service"));
        InternalTokenCodec codec = new InternalTokenCodec(E2ePlatform.INTERNAL_SECRET, Duration.ofMinutes(1));
        String token = codec.issueForService(new dev.braid.common.security.Caller("acme", Role.MEMBER, "e2e", null,
                java.time.Instant.now()));
        assertThat(privacy.postJson("/internal/keys/data-keys/" + shredId + "/unwrap", null, "{}", InternalTokenCodec.HEADER, token)
                .status()).isEqualTo(200);
        String clientToken = codec.issue("acme", Role.MEMBER, "e2e", null);
        assertThat(privacy.postJson("/internal/keys/data-keys/" + shredId + "/unwrap", null, "{}", InternalTokenCodec.HEADER,
                clientToken).status()).as("a client's token, as the gateway forwards it, never opens an internal endpoint").isEqualTo(403);

        assertThat(gateway.get("/api/v1/datasets/" + shredId, acmeKey).status()).isEqualTo(200);
        assertThat(gateway.delete("/api/v1/datasets/" + shredId, acmeKey).status()).isEqualTo(204);

        Http.Response afterwards = privacy.postJson("/internal/keys/data-keys/" + shredId + "/unwrap", null, "{}",
                InternalTokenCodec.HEADER, token);
        assertThat(afterwards.status()).as("the key is gone, so no copy of the ciphertext can be read").isEqualTo(410);
        assertThat(gateway.get("/api/v1/datasets/" + shredId, acmeKey).status()).isEqualTo(404);
    }
}
