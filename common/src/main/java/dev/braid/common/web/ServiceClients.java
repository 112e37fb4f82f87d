package dev.braid.common.web;

import org.slf4j.MDC;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import dev.braid.common.security.CallerContext;
import dev.braid.common.security.InternalTokenCodec;

/**
 * Clients for calling another Braid service on behalf of the current caller: every request carries
 * a freshly signed internal token for the caller's tenant and the current request id.
 */
public final class ServiceClients {

    private final InternalTokenCodec codec;

    public ServiceClients(InternalTokenCodec codec) {
        this.codec = codec;
    }

    public RestClient forBaseUrl(String baseUrl) {
        return RestClient.builder()
                .baseUrl(baseUrl)
                .requestFactory(new JdkClientHttpRequestFactory())
                .requestInterceptor((request, body, execution) -> {
                    request.getHeaders().set(InternalTokenCodec.HEADER, codec.issueForService(CallerContext.current()));
                    String requestId = MDC.get(RequestIds.MDC_KEY);
                    if (requestId != null) {
                        request.getHeaders().set(RequestIds.HEADER, requestId);
                    }
                    return execution.execute(request, body);
                })
                .build();
    }
}
