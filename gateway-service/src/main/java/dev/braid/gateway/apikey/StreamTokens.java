package dev.braid.gateway.apikey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.braid.common.PlatformProperties;
import dev.braid.gateway.GatewayProperties;

/**
 * Short-lived tokens that open one training job's event stream, for browsers, whose
 * {@code EventSource} cannot send an {@code Authorization} header. A token names the API key
 * that asked for it (never the key itself), the job, and when it expires, and is signed with
 * HMAC-SHA256 under a key derived from the platform's internal secret, so every gateway replica
 * accepts it. It opens {@code GET /api/v1/training-jobs/{that job}/events} and nothing else, and
 * only while the key that asked for it is still active.
 */
@Component
final class StreamTokens {

    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
    private static final String PREFIX = "st1.";
    private static final int PAYLOAD_BYTES = 16 + 16 + 8;

    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;

    /** What a valid token grants: the key that asked for it, and the job whose stream it opens. */
    record Grant(UUID keyId, UUID jobId, Instant expiresAt) {
    }

    /** A token as issued, with the moment it stops opening anything. */
    record Issued(String token, Instant expiresAt) {
    }

    @Autowired
    StreamTokens(PlatformProperties platform, GatewayProperties properties) {
        this(platform.internalSecret(), properties.streamTokenTtl(), Clock.systemUTC());
    }

    StreamTokens(String internalSecret, Duration ttl, Clock clock) {
        // a key of its own, so a stream token can never pass for an internal token or the reverse
        this.key = new SecretKeySpec(hmac(internalSecret.getBytes(StandardCharsets.UTF_8),
                "braid stream token v1".getBytes(StandardCharsets.UTF_8)), "HmacSHA256");
        this.ttl = ttl;
        this.clock = clock;
    }

    Issued issue(UUID keyId, UUID jobId) {
        Instant expires = Instant.ofEpochSecond(clock.instant().plus(ttl).getEpochSecond());
        ByteBuffer payload = ByteBuffer.allocate(PAYLOAD_BYTES);
        payload.putLong(keyId.getMostSignificantBits()).putLong(keyId.getLeastSignificantBits());
        payload.putLong(jobId.getMostSignificantBits()).putLong(jobId.getLeastSignificantBits());
        payload.putLong(expires.getEpochSecond());
        byte[] bytes = payload.array();
        return new Issued(PREFIX + ENCODE.encodeToString(bytes) + "." + ENCODE.encodeToString(hmac(key.getEncoded(), bytes)), expires);
    }

    /** The grant of a genuine, unexpired token; empty for anything else, whatever its shape. */
    Optional<Grant> verify(String token) {
        if (token == null || token.length() > 200 || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = token.substring(PREFIX.length()).split("\\.", -1);
        if (parts.length != 2) {
            return Optional.empty();
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = DECODE.decode(parts[0]);
            signature = DECODE.decode(parts[1]);
        }
        catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
        if (payload.length != PAYLOAD_BYTES || !MessageDigest.isEqual(signature, hmac(key.getEncoded(), payload))) {
            return Optional.empty();
        }
        ByteBuffer read = ByteBuffer.wrap(payload);
        UUID keyId = new UUID(read.getLong(), read.getLong());
        UUID jobId = new UUID(read.getLong(), read.getLong());
        Instant expires = Instant.ofEpochSecond(read.getLong());
        return clock.instant().isBefore(expires) ? Optional.of(new Grant(keyId, jobId, expires)) : Optional.empty();
    }

    private static byte[] hmac(byte[] secret, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(message);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 unavailable", ex);
        }
    }
}
