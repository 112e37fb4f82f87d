package dev.braid.gateway.apikey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamTokensTests {

    private static final String SECRET = "a-platform-internal-secret-long-enough";
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    private final UUID key = UUID.randomUUID();
    private final UUID job = UUID.randomUUID();

    private static StreamTokens at(Instant now) {
        return new StreamTokens(SECRET, Duration.ofMinutes(10), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void shouldGrantTheKeyAndJobItWasIssuedForUntilItExpires() {
        StreamTokens.Issued issued = at(NOW).issue(key, job);
        String token = issued.token();
        assertThat(issued.expiresAt()).isEqualTo(NOW.plusSeconds(600));

        assertThat(at(NOW.plusSeconds(599)).verify(token)).hasValueSatisfying(grant -> {
            assertThat(grant.keyId()).isEqualTo(key);
            assertThat(grant.jobId()).isEqualTo(job);
            assertThat(grant.expiresAt()).isEqualTo(NOW.plusSeconds(600));
        });
        assertThat(at(NOW.plusSeconds(600)).verify(token)).isEmpty();
    }

    @Test
    void shouldRefuseATokenWithAnyBitChanged() {
        String token = at(NOW).issue(key, job).token();
        String payload = token.substring(4, token.indexOf('.', 4));
        byte[] bytes = Base64.getUrlDecoder().decode(payload);
        for (int i = 0; i < bytes.length; i++) {
            byte[] changed = bytes.clone();
            changed[i] ^= 1;
            String forged = "st1." + Base64.getUrlEncoder().withoutPadding().encodeToString(changed) + token.substring(token.indexOf('.', 4));
            assertThat(at(NOW).verify(forged)).as("byte %d", i).isEmpty();
        }
    }

    @Test
    void shouldRefuseTokensSignedUnderAnotherSecretOrOfAnotherShape() {
        String foreign = new StreamTokens("another-secret-that-is-long-enough", Duration.ofMinutes(10),
                Clock.fixed(NOW, ZoneOffset.UTC)).issue(key, job).token();

        assertThat(at(NOW).verify(foreign)).isEmpty();
        assertThat(at(NOW).verify(null)).isEmpty();
        assertThat(at(NOW).verify("")).isEmpty();
        assertThat(at(NOW).verify("st1.")).isEmpty();
        assertThat(at(NOW).verify("st1.%%%.%%%")).isEmpty();
        assertThat(at(NOW).verify("st1.AAAA.BBBB.CCCC")).isEmpty();
        assertThat(at(NOW).verify("st1." + "A".repeat(300))).isEmpty();
    }
}
