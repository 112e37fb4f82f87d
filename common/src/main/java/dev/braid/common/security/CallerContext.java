package dev.braid.common.security;

import java.util.Optional;

import dev.braid.common.problem.ApiException;

/**
 * The caller of the request being handled on this thread. Set by the internal-token filter for
 * the duration of a request; background work (training jobs) runs as the job's tenant with
 * {@link #runAs}.
 */
public final class CallerContext {

    private static final ThreadLocal<Caller> CURRENT = new ThreadLocal<>();

    private CallerContext() {
    }

    public static Caller current() {
        Caller caller = CURRENT.get();
        if (caller == null) {
            throw new IllegalStateException("no caller bound to this thread");
        }
        return caller;
    }

    public static Optional<Caller> find() {
        return Optional.ofNullable(CURRENT.get());
    }

    public static String tenant() {
        return current().tenant();
    }

    public static Caller requireAdmin() {
        Caller caller = current();
        if (!caller.isAdmin()) {
            throw ApiException.forbidden("this operation needs an admin key");
        }
        return caller;
    }

    static void set(Caller caller) {
        CURRENT.set(caller);
    }

    static void clear() {
        CURRENT.remove();
    }

    public static void runAs(Caller caller, Runnable work) {
        Caller previous = CURRENT.get();
        CURRENT.set(caller);
        try {
            work.run();
        }
        finally {
            if (previous == null) {
                CURRENT.remove();
            }
            else {
                CURRENT.set(previous);
            }
        }
    }
}
