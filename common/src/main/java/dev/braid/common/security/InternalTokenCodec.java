package dev.braid.common.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import tools.jackson.databind.json.JsonMapper;

/**
 * Signs and verifies the short-lived token that carries a {@link Caller} from the gateway (or from
 * one service to another) to a service: {@code v1.<base64url payload>.<base64url HMAC-SHA256>}.
 * Every service shares the platform's internal secret; a service port reached without a valid,
 * unexpired token answers 401, so the gateway is the only public door.
 */
public final class InternalTokenCodec {

    /** The header the token travels in; clients can never set it, the gateway strips it. */
    public static final String HEADER = "Braid-Internal-Token";

    private static final String VERSION = "v1";
    private static final String KIND_CLIENT = "client";
    private static final String KIND_SERVICE = "service";
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(5);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;

    public InternalTokenCodec(String secret, Duration ttl, Clock clock) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException(
                    "braid.platform.internal-secret (BRAID_INTERNAL_SECRET) must be set to at least 32 bytes");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.ttl = ttl;
        this.clock = clock;
    }

    public InternalTokenCodec(String secret, Duration ttl) {
        this(secret, ttl, Clock.systemUTC());
    }

    /** A token for a client request of this tenant and role (the gateway's), valid for the configured time to live. */
    public String issue(String tenant, Role role, String subject, String requestId) {
        return issue(tenant, role, subject, requestId, false);
    }

    /** A token for a call from one service to another on behalf of the caller; only these reach {@code /internal/**}. */
    public String issueForService(Caller caller) {
        return issue(caller.tenant(), caller.role(), caller.subject(), caller.requestId(), true);
    }

    private String issue(String tenant, Role role, String subject, String requestId, boolean service) {
        Instant expires = clock.instant().plus(ttl);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("t", tenant);
        claims.put("r", role.name());
        claims.put("s", subject);
        claims.put("q", requestId == null ? "" : requestId);
        claims.put("e", expires.getEpochSecond());
        claims.put("k", service ? KIND_SERVICE : KIND_CLIENT);
        new Caller(tenant, role, subject, requestId, expires, service); // validates before signing
        String payload = B64.encodeToString(JSON.writeValueAsBytes(claims));
        return VERSION + "." + payload + "." + B64.encodeToString(mac(payload));
    }

    /** The caller the token vouches for, or empty when it is malformed, forged or expired. */
    public Optional<Caller> verify(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            return Optional.empty();
        }
        try {
            byte[] expected = mac(parts[1]);
            if (!MessageDigest.isEqual(expected, B64D.decode(parts[2]))) {
                return Optional.empty();
            }
            Map<?, ?> claims = JSON.readValue(B64D.decode(parts[1]), Map.class);
            Instant expires = Instant.ofEpochSecond(((Number) claims.get("e")).longValue());
            if (clock.instant().isAfter(expires.plus(CLOCK_SKEW))) {
                return Optional.empty();
            }
            String requestId = (String) claims.get("q");
            return Optional.of(new Caller((String) claims.get("t"), Role.valueOf((String) claims.get("r")),
                    (String) claims.get("s"), requestId == null || requestId.isEmpty() ? null : requestId, expires,
                    KIND_SERVICE.equals(claims.get("k"))));
        }
        catch (RuntimeException ex) {
            return Optional.empty();
        }
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 unavailable", ex);
        }
    }
}
