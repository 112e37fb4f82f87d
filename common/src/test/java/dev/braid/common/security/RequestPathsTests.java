package dev.braid.common.security;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class RequestPathsTests {

    private static final List<String> TRAVERSALS = List.of(
            "/api/v1/privacy/../../../internal/keys",
            "/api/v1/privacy/%2e%2e/%2e%2e/%2e%2e/internal/keys",
            "/api/v1/privacy/%2E%2e/internal/keys",
            "/api/v1/privacy/.%2e/internal/keys",
            "/api/v1/privacy/..;/..;/internal/keys",
            "/api/v1/privacy;x=1/keys",
            "/api/v1/privacy/..%2f..%2finternal/keys",
            "/api/v1/privacy/..%5c..%5cinternal",
            "/api/v1/privacy/..\\\\internal",
            "/api/v1/privacy/%252e%252e/internal",
            "/api/v1/privacy/./keys",
            "/api/v1/privacy/%00/keys",
            "/api/v1/privacy/%zz",
            // escapes of what is never escaped: another spelling of a path, past whatever matches the raw one
            "/api/v1/training-jobs/0b6f7a3c-1d2e-4f50-8a9b-0c1d2e3f4a5b/%65vents",
            "/api/v1/training-jobs/%30b6f7a3c-1d2e-4f50-8a9b-0c1d2e3f4a5b/events",
            "/api/v1/a%2Db", "/api/v1/a%5Fb", "/api/v1/a%7eb", "/%41pi/v1/datasets");

    @Test
    void shouldFindEveryTraversalAmbiguousAndPlainPathsPlain() {
        for (String path : TRAVERSALS) {
            assertThat(RequestPaths.ambiguity(path)).as(path).isPresent();
        }
        for (String path : List.of("/api/v1/datasets", "/api/v1/datasets/0b6f7a3c-1d2e-4f50-8a9b-0c1d2e3f4a5b/records",
                "/api/v1/privacy/budgets/x", "/", "/api/v1/datasets/caf%C3%A9", "/api/v1/a..b/c.d")) {
            assertThat(RequestPaths.ambiguity(path)).as(path).isEmpty();
        }
    }

    @Test
    void shouldResolvePathsAsAServerWould() {
        assertThat(RequestPaths.normalise("/actuator/health/../../internal/keys")).isEqualTo("/internal/keys");
        assertThat(RequestPaths.normalise("/actuator/health/%2e%2e/%2E%2E/internal")).isEqualTo("/internal");
        assertThat(RequestPaths.normalise("/x/..;/internal;v=1/keys")).isEqualTo("/internal/keys");
        assertThat(RequestPaths.normalise("//internal//keys/./")).isEqualTo("/internal/keys");
        assertThat(RequestPaths.normalise("/..\\internal")).isEqualTo("/internal");
        assertThat(RequestPaths.normalise("/../../..")).isEqualTo("/");
        assertThat(RequestPaths.isUnder("/Internal/keys", "/internal")).isTrue();
        assertThat(RequestPaths.isUnder("/internals", "/internal")).isFalse();
    }

    @Test
    void shouldKeepInternalEndpointsToServiceTokensAndExemptOnlyRealHealthPaths() throws Exception {
        InternalTokenCodec codec = new InternalTokenCodec("a-test-secret-that-is-at-least-32-bytes", Duration.ofMinutes(1));
        InternalTokenFilter filter = new InternalTokenFilter(codec);
        String client = codec.issue("acme", Role.ADMIN, "key-1", null);
        String service = codec.issueForService(new Caller("acme", Role.MEMBER, "training-job/1", null, Instant.now()));

        assertThat(run(filter, "/internal/keys/data-keys/x/unwrap", client)).isEqualTo(403);
        assertThat(run(filter, "/api/v1/../../internal/keys", client)).isEqualTo(403);
        assertThat(run(filter, "/internal/keys/data-keys/x/unwrap", service)).isEqualTo(200);
        assertThat(run(filter, "/api/v1/datasets", client)).isEqualTo(200);
        assertThat(run(filter, "/actuator/health", null)).isEqualTo(200);
        assertThat(run(filter, "/actuator/health/readiness", null)).isEqualTo(200);
        assertThat(run(filter, "/actuator/health/../../internal/keys", null)).as("an exemption on the resolved path").isEqualTo(401);
        assertThat(run(filter, "/actuator/health/%2e%2e/%2e%2e/internal/keys", null)).isEqualTo(401);
        assertThat(run(filter, "/actuator/healthz", null)).isEqualTo(401);
    }

    /** The status the filter leaves: 200 when it let the request through to the chain. */
    private static int run(InternalTokenFilter filter, String uri, String token) throws ServletException, IOException {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", uri);
        if (token != null) {
            request.addHeader(InternalTokenCodec.HEADER, token);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicBoolean passed = new AtomicBoolean();
        filter.doFilter(request, response, (req, res) -> passed.set(true));
        return passed.get() ? 200 : response.getStatus();
    }
}
