package dev.braid.training.job;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Wakes idle workers the moment a job is queued, through PostgreSQL's LISTEN/NOTIFY, on every
 * instance sharing the database. Polling stays as the fallback: a lost notification or a broken
 * listening connection only delays a job by one poll interval.
 */
@Component
public class JobWakeups {

    static final String CHANNEL = "braid_training_jobs";
    private static final Logger log = LoggerFactory.getLogger(JobWakeups.class);

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private Connection listening;

    JobWakeups(DataSource dataSource, JdbcClient jdbc) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
    }

    /** Tells every listening worker that a job is waiting (delivered when the caller's transaction commits). */
    void notifyQueued(UUID jobId) {
        jdbc.sql("select pg_notify(?, ?)").params(CHANNEL, jobId.toString()).query().singleRow();
    }

    /**
     * Waits until a job is queued somewhere or the timeout passes; true when woken by a
     * notification. Called from one worker thread.
     */
    public boolean await(Duration timeout) throws InterruptedException {
        try {
            PGNotification[] notifications = listener().getNotifications((int) Math.max(1, timeout.toMillis()));
            return notifications != null && notifications.length > 0;
        }
        catch (SQLException ex) {
            log.warn("Listening for queued jobs failed ({}); polling until it works again", ex.toString());
            closeListener();
            Thread.sleep(timeout.toMillis());
            return false;
        }
    }

    private PGConnection listener() throws SQLException {
        if (listening == null || listening.isClosed()) {
            listening = dataSource.getConnection();
            listening.setAutoCommit(true);
            try (Statement statement = listening.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
            }
        }
        return listening.unwrap(PGConnection.class);
    }

    /** Gives the listening connection back; the worker calls it when it stops. */
    public void closeListener() {
        if (listening != null) {
            try {
                listening.close();
            }
            catch (SQLException ignored) {
                // it is being dropped either way
            }
            listening = null;
        }
    }
}
