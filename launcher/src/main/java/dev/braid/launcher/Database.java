package dev.braid.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's PostgreSQL: the one {@code BRAID_DATABASE_URL} names, or an embedded PostgreSQL 17
 * (zonky's binaries from Maven Central) whose data lives in {@code $BRAID_HOME/postgres} and so
 * survives a restart. The services share its {@code braid} database, one schema each.
 */
final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final EmbeddedPostgres embedded;
    private final String url;

    private Database(EmbeddedPostgres embedded, String url) {
        this.embedded = embedded;
        this.url = url;
    }

    static Database start(PlatformConfig config) throws IOException {
        if (config.databaseUrl() != null) {
            log.info("Using the database at {}", redact(config.databaseUrl()));
            return new Database(null, config.databaseUrl());
        }
        Path data = config.home().resolve("postgres");
        Files.createDirectories(config.home());
        log.info("Starting embedded PostgreSQL on port {} (data in {})", config.databasePort(), data);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(config.databasePort())
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(config.logs().resolve("postgres.log").toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(config.logs().resolve("postgres.log").toFile()))
                .start();
        try (Connection connection = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"))) {
            boolean exists;
            try (var rs = connection.createStatement().executeQuery("select 1 from pg_database where datname = 'braid'")) {
                exists = rs.next();
            }
            if (!exists) {
                connection.createStatement().execute("create database braid");
            }
        }
        catch (SQLException ex) {
            postgres.close();
            throw new IOException("could not prepare the braid database", ex);
        }
        return new Database(postgres, postgres.getJdbcUrl("postgres", "braid"));
    }

    String url() {
        return url;
    }

    private static String redact(String url) {
        return url.replaceAll("password=[^&]*", "password=***");
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
                log.info("Embedded PostgreSQL stopped");
            }
            catch (IOException ex) {
                log.warn("Embedded PostgreSQL did not stop cleanly: {}", ex.toString());
            }
        }
    }
}
