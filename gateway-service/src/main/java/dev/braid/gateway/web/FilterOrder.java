package dev.braid.gateway.web;

import org.springframework.core.Ordered;

/** The order the gateway's web filters run in: id the request, refuse ambiguous paths, answer CORS, then authenticate and limit. */
public final class FilterOrder {

    public static final int REQUEST_ID = Ordered.HIGHEST_PRECEDENCE;
    public static final int PATH_GUARD = Ordered.HIGHEST_PRECEDENCE + 5;
    public static final int CORS = Ordered.HIGHEST_PRECEDENCE + 10;
    public static final int AUTHENTICATION = Ordered.HIGHEST_PRECEDENCE + 20;
    public static final int RATE_LIMIT = Ordered.HIGHEST_PRECEDENCE + 30;
    public static final int BODY_SIZE = Ordered.HIGHEST_PRECEDENCE + 40;

    private FilterOrder() {
    }
}
