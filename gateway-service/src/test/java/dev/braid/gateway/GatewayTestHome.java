package dev.braid.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one {@code BRAID_HOME} of the gateway's tests in a JVM. The tests share one embedded PostgreSQL, and the gateway
 * creates its bootstrap operator key only when the database has none, writing it to {@code admin.key} under its home:
 * with one home, every test context finds the key file whichever context started first.
 */
public final class GatewayTestHome {

    private static Path home;

    private GatewayTestHome() {
    }

    public static synchronized Path path() {
        if (home == null) {
            try {
                home = Files.createTempDirectory("braid-gateway-tests-");
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return home;
    }

    /** The bootstrap operator key, as the first gateway context of the JVM wrote it. */
    public static String operatorKey() {
        try {
            return Files.readString(path().resolve("admin.key")).strip();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
