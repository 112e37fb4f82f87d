package dev.braid.common.problem;

import org.springframework.http.HttpStatus;

/** 503: a service this request needs is down or starting; the client should retry shortly. */
public final class ServiceUnavailable extends ApiException {

    private ServiceUnavailable(String detail) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", detail);
    }

    public static ServiceUnavailable of(String service) {
        return new ServiceUnavailable("The " + service + " is not available; try again shortly");
    }

    /** This service has no room for the request now (its detail says which); the client should retry shortly. */
    public static ServiceUnavailable busy(String detail) {
        return new ServiceUnavailable(detail);
    }

    /** Runs a call to another service; a connection that cannot be made becomes this 503. */
    public static <T> T whenUnreachable(String service, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        }
        catch (org.springframework.web.client.ResourceAccessException ex) {
            throw of(service);
        }
    }

    @Override
    public long retryAfterSeconds() {
        return 5;
    }
}
