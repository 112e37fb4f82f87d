package dev.braid.common.web;

import java.util.UUID;
import java.util.regex.Pattern;

/** The {@code X-Request-Id} every request carries through the gateway into each service's logs. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {
    }

    /** The client's id when it is a plain token, a fresh one otherwise (so nothing odd reaches the logs). */
    public static String sanitize(String candidate) {
        return candidate != null && VALID.matcher(candidate).matches() ? candidate : UUID.randomUUID().toString();
    }
}
