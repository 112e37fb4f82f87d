package dev.braid.common.web;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.util.Set;

import io.micrometer.observation.ObservationRegistry;
import org.slf4j.MDC;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import dev.braid.common.PlatformProperties;
import dev.braid.common.security.CallerContext;
import dev.braid.common.security.InternalTokenCodec;

/**
 * Clients for calling another Braid service on behalf of the current caller: every request carries
 * a freshly signed internal token for the caller's tenant and the current request id. A service that
 * does not answer cannot hold the caller forever: connecting and the response's start are bounded
 * ({@code braid.platform.service-calls.*}), and the timeout surfaces as a {@code ResourceAccessException}
 * (a 503 through {@link dev.braid.common.problem.ServiceUnavailable}). A call that could not connect at all
 * (the other service restarting) is tried again with backoff, but only when repeating it is harmless:
 * GET, PUT and DELETE. A POST, or a call that timed out after it was sent, is never repeated here.
 */
public final class ServiceClients {

    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.DELETE);

    private final InternalTokenCodec codec;
    private final PlatformProperties.ServiceCalls settings;
    private final ObservationRegistry observations;

    /**
     * {@code observations}: the service's registry, so each call is observed (timed, and with tracing on the
     * classpath carries the W3C {@code traceparent} of the request it serves); {@code ObservationRegistry.NOOP}
     * for none.
     */
    public ServiceClients(InternalTokenCodec codec, PlatformProperties.ServiceCalls settings, ObservationRegistry observations) {
        this.codec = codec;
        this.settings = settings;
        this.observations = observations;
    }

    public RestClient forBaseUrl(String baseUrl) {
        return configure(RestClient.builder().baseUrl(baseUrl)).build();
    }

    /**
     * Makes a builder call as a Braid service: the bounds, the observation (and so the trace context), the caller's
     * signed token and request id on every request, and the retries. The services' {@code @HttpExchange} clients
     * are Spring's HTTP service groups, one per service they call; each group's builder passes through here.
     */
    public RestClient.Builder configure(RestClient.Builder builder) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).build());
        requests.setReadTimeout(settings.readTimeout());
        return builder
                .requestFactory(requests)
                .observationRegistry(observations)
                .requestInterceptor((request, body, execution) -> {
                    request.getHeaders().set(InternalTokenCodec.HEADER, codec.issueForService(CallerContext.current()));
                    String requestId = MDC.get(RequestIds.MDC_KEY);
                    if (requestId != null) {
                        request.getHeaders().set(RequestIds.HEADER, requestId);
                    }
                    return execution.execute(request, body);
                })
                .requestInterceptor(retryingConnections());
    }

    private ClientHttpRequestInterceptor retryingConnections() {
        return (request, body, execution) -> {
            long wait = settings.backoff().toMillis();
            for (int attempt = 1; ; attempt++) {
                try {
                    return execution.execute(request, body);
                }
                catch (IOException ex) {
                    if (attempt >= settings.attempts() || !IDEMPOTENT.contains(request.getMethod()) || !neverConnected(ex)) {
                        throw ex;
                    }
                }
                try {
                    Thread.sleep(wait);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting to retry " + request.getURI(), ex);
                }
                wait *= 2;
            }
        };
    }

    /** The request never reached the other service, so sending it again cannot do anything twice. */
    private static boolean neverConnected(IOException ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
