package dev.braid.common.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InternalTokenCodecTests {

    private static final String SECRET = "a-secret-of-at-least-thirty-two-bytes";
    private final Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final InternalTokenCodec codec = new InternalTokenCodec(SECRET, Duration.ofSeconds(60), Clock.fixed(now, ZoneOffset.UTC));

    @Test
    void shouldCarryTheCallerItWasIssuedFor() {
        Caller caller = codec.verify(codec.issue("acme", Role.ADMIN, "key-1", "req-9")).orElseThrow();

        assertThat(caller.tenant()).isEqualTo("acme");
        assertThat(caller.role()).isEqualTo(Role.ADMIN);
        assertThat(caller.subject()).isEqualTo("key-1");
        assertThat(caller.requestId()).isEqualTo("req-9");
        assertThat(caller.expiresAt()).isEqualTo(now.plusSeconds(60));
    }

    @Test
    void shouldRefuseATokenWhoseClaimsWereChanged() {
        String token = codec.issue("acme", Role.MEMBER, "key-1", null);
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1])).replace("MEMBER", "ADMIN");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes()) + "." + parts[2];

        assertThat(codec.verify(tampered)).isEmpty();
    }

    @Test
    void shouldRefuseExpiredForeignAndMalformedTokens() {
        String token = codec.issue("acme", Role.MEMBER, "key-1", null);
        InternalTokenCodec later = new InternalTokenCodec(SECRET, Duration.ofSeconds(60),
                Clock.fixed(now.plusSeconds(66), ZoneOffset.UTC));
        InternalTokenCodec otherSecret = new InternalTokenCodec("another-secret-of-at-least-32-bytes!", Duration.ofSeconds(60),
                Clock.fixed(now, ZoneOffset.UTC));

        assertThat(later.verify(token)).isEmpty();
        assertThat(otherSecret.verify(token)).isEmpty();
        assertThat(codec.verify(null)).isEmpty();
        assertThat(codec.verify("v1.e30.")).isEmpty();
        assertThat(codec.verify("not a token")).isEmpty();
    }

    @Test
    void shouldRefuseAShortSecretAndAnInvalidTenant() {
        assertThatThrownBy(() -> new InternalTokenCodec("short", Duration.ofSeconds(60))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.issue("Robert'); drop table", Role.MEMBER, "k", null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
