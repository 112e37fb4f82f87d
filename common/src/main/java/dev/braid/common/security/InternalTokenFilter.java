package dev.braid.common.security;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.braid.common.problem.ProblemTypes;

/**
 * Lets a request in only with a valid internal token, so a service port called directly, without
 * the gateway, answers 401. {@code /internal/**} takes only tokens a service minted for a
 * service-to-service call: a client's token, forwarded by the gateway, gets 403 there whatever
 * route its request took. Health probes stay open (status only), as orchestrators need them. Both
 * decisions are made on the path as the server resolves it ({@link RequestPaths#normalise}).
 */
public final class InternalTokenFilter extends OncePerRequestFilter {

    private final InternalTokenCodec codec;

    public InternalTokenFilter(InternalTokenCodec codec) {
        this.codec = codec;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return RequestPaths.isUnder(RequestPaths.normalise(request.getRequestURI()), "/actuator/health");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Caller> caller = codec.verify(request.getHeader(InternalTokenCodec.HEADER));
        if (caller.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getWriter().write("{\"type\":\"" + ProblemTypes.BASE + "unauthenticated\",\"title\":\"Unauthorized\","
                    + "\"status\":401,\"detail\":\"Requests must come through the Braid gateway with a valid API key\"}");
            return;
        }
        if (!caller.get().service() && RequestPaths.isUnder(RequestPaths.normalise(request.getRequestURI()), "/internal")) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getWriter().write("{\"type\":\"" + ProblemTypes.BASE + "internal-only\",\"title\":\"Forbidden\","
                    + "\"status\":403,\"detail\":\"This endpoint is for calls between Braid services only\"}");
            return;
        }
        CallerContext.set(caller.get());
        MDC.put("tenant", caller.get().tenant());
        try {
            chain.doFilter(request, response);
        }
        finally {
            CallerContext.clear();
            MDC.remove("tenant");
        }
    }
}
