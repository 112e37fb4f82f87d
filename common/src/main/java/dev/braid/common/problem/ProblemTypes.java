package dev.braid.common.problem;

import java.net.URI;

/** Stable problem {@code type} URIs; clients may switch on them, so a name never changes meaning. */
public final class ProblemTypes {

    public static final String BASE = "https://braid.dev/problems/";

    private ProblemTypes() {
    }

    public static URI uri(String type) {
        return URI.create(BASE + type);
    }
}
