package dev.braid.gateway.routing;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityHeadersTests {

    @Test
    void shouldStripEveryIdentityAClientCouldClaim() {
        HttpHeaders headers = new HttpHeaders();
        headers.add("Authorization", "Bearer secret-key");
        headers.add("Braid-Internal-Token", "v1.forged.token");
        headers.add("X-Tenant-Id", "acme");
        headers.add("x-braid-role", "ADMIN");
        headers.add("X-Forwarded-User", "root");
        headers.add("Content-Type", "application/json");
        headers.add("X-Request-Id", "abc");

        InternalTokenGatewayFilterFactory.stripIdentity(headers);

        assertThat(headers.headerNames()).containsExactlyInAnyOrder("Content-Type", "X-Request-Id");
    }
}
