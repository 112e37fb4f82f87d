package dev.braid.training.job;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.common.report.JobMetrics;
import dev.braid.common.report.PrivacyReport;

/**
 * {@code training.job} through explicit SQL: claiming is the queue's hot path and must be exactly
 * {@code FOR UPDATE SKIP LOCKED}; every write by a worker is guarded by its lease.
 */
@Repository
class JobRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    JobRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID id, String tenant, UUID datasetId, int epochs, int batchSize, Double learningRate, long seed,
            int maxAttempts, JobPrivacy privacy, boolean trainText, boolean trainImage, Boolean fineTuneText, Boolean balanceClasses) {
        jdbc.sql("""
                insert into training.job (id, tenant_id, dataset_id, status, epochs, batch_size, learning_rate, seed, max_attempts,
                                          privacy, train_text, train_image, fine_tune_text, balance_classes)
                values (?, ?, ?, 'QUEUED', ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)""")
                .params(id, tenant, datasetId, epochs, batchSize, learningRate, seed, maxAttempts,
                        privacy == null ? null : JSON.writeValueAsString(privacy), trainText, trainImage, fineTuneText,
                        balanceClasses)
                .update();
    }

    /** A checkpoint as stored: sealed bytes and where the run stood. */
    record StoredCheckpoint(int epoch, long step, long privateSteps, byte[] sealed) {
    }

    /** Stores the job's latest checkpoint, only while this worker holds the job; false when it does not. */
    boolean saveCheckpoint(UUID id, String worker, int epoch, long step, long privateSteps, byte[] sealed) {
        return jdbc.sql("""
                with held as (update training.job set private_steps = ? where id = ? and lease_owner = ? and status = 'RUNNING'
                              returning id)
                insert into training.checkpoint (job_id, epoch, step, private_steps, sealed)
                select id, ?, ?, ?, ? from held
                on conflict (job_id) do update set epoch = excluded.epoch, step = excluded.step,
                       private_steps = excluded.private_steps, sealed = excluded.sealed, created_at = now()""")
                .params(privateSteps, id, worker, epoch, step, privateSteps, sealed).update() == 1;
    }

    Optional<StoredCheckpoint> checkpoint(UUID id) {
        return jdbc.sql("select epoch, step, private_steps, sealed from training.checkpoint where job_id = ?").param(id)
                .query((rs, row) -> new StoredCheckpoint(rs.getInt("epoch"), rs.getLong("step"), rs.getLong("private_steps"),
                        rs.getBytes("sealed")))
                .optional();
    }

    /** The DP-SGD steps the job had run at its last checkpoint (kept after the checkpoint itself is gone). */
    long privateStepsCheckpointed(UUID id) {
        return jdbc.sql("select private_steps from training.job where id = ?").param(id).query(Long.class).optional().orElse(0L);
    }

    /** Notes steps a run knows it ran beyond its last checkpoint, so a retried settlement still charges them. */
    void recordPrivateSteps(UUID id, long steps) {
        jdbc.sql("update training.job set private_steps = greatest(private_steps, ?) where id = ?").params(steps, id).update();
    }

    /**
     * Private jobs that ended without a model and without a settled ledger entry (their settlement
     * failed), of every tenant, up to {@code limit}: those the reconciler has tried least recently
     * first (never tried, then oldest try), so one it cannot settle does not keep newer ones waiting.
     * A job that succeeded was charged before its model was released.
     */
    List<TrainingJob> unsettled(int limit) {
        return jdbc.sql("""
                select * from training.job where privacy is not null and privacy_report is null
                and status in ('FAILED', 'CANCELLED') order by settle_attempted_at nulls first, finished_at limit ?""")
                .param(limit).query(JobRepository::map).list();
    }

    /** How many private jobs wait for their ledger entry to be settled. */
    long unsettledCount() {
        return jdbc.sql("""
                select count(*) from training.job where privacy is not null and privacy_report is null
                and status in ('FAILED', 'CANCELLED')""").query(Long.class).single();
    }

    /** Notes that the reconciler tried to settle the job now. */
    void settleAttempted(UUID id) {
        jdbc.sql("update training.job set settle_attempted_at = now() where id = ?").param(id).update();
    }

    /** Whether a job with this id exists, of any tenant. */
    boolean exists(String tenant, UUID id) {
        return jdbc.sql("select exists(select 1 from training.job where tenant_id = ? and id = ?)").params(tenant, id)
                .query(Boolean.class).single();
    }

    /** Records what a private job spent (also for a job that ends without a model). */
    void privacyReport(UUID id, PrivacyReport report) {
        jdbc.sql("update training.job set privacy_report = ?::jsonb where id = ?").params(JSON.writeValueAsString(report), id).update();
    }

    Optional<TrainingJob> find(String tenant, UUID id) {
        return jdbc.sql("select * from training.job where tenant_id = ? and id = ?").params(tenant, id)
                .query(JobRepository::map).optional();
    }

    List<TrainingJob> list(String tenant, UUID datasetId, int page, int size) {
        return jdbc.sql("""
                select * from training.job where tenant_id = ? and (?::uuid is null or dataset_id = ?)
                order by created_at, id limit ? offset ?""")
                .params(tenant, datasetId, datasetId, size, (long) page * size).query(JobRepository::map).list();
    }

    long count(String tenant, UUID datasetId) {
        return jdbc.sql("select count(*) from training.job where tenant_id = ? and (?::uuid is null or dataset_id = ?)")
                .params(tenant, datasetId, datasetId).query(Long.class).single();
    }

    /** Cancels a queued job at once, or asks a running one to stop; false when the job is already final. */
    boolean requestCancel(String tenant, UUID id) {
        int queued = jdbc.sql("""
                update training.job set status = 'CANCELLED', finished_at = now(), lease_owner = null
                where tenant_id = ? and id = ? and status = 'QUEUED'""").params(tenant, id).update();
        if (queued == 1) {
            event(id, "cancelled", java.util.Map.of("status", "CANCELLED"));
            return true;
        }
        return jdbc.sql("update training.job set cancel_requested = true where tenant_id = ? and id = ? and status = 'RUNNING'")
                .params(tenant, id).update() == 1;
    }

    /**
     * Claims the oldest job that is queued or whose holder's lease ran out, for this worker. The
     * attempt counter goes up with every claim, so a job that keeps killing its workers runs out of attempts.
     */
    Optional<TrainingJob> claim(String worker, Duration lease) {
        return jdbc.sql("""
                update training.job set status = 'RUNNING', attempt = attempt + 1, lease_owner = ?,
                       lease_expires_at = now() + make_interval(secs => ?), started_at = coalesce(started_at, now())
                where id = (select id from training.job
                            where status = 'QUEUED' or (status = 'RUNNING' and lease_expires_at < now())
                            order by created_at, id for update skip locked limit 1)
                returning *""")
                .params(worker, lease.toMillis() / 1000.0)
                .query(JobRepository::map).optional()
                .map(job -> {
                    event(job.id(), "started", java.util.Map.of("status", "RUNNING", "attempt", job.attempt()));
                    return job;
                });
    }

    /** Renews the lease; empty when this worker no longer holds the job, else whether a cancel was asked. */
    Optional<Boolean> heartbeat(UUID id, String worker, Duration lease) {
        return jdbc.sql("""
                update training.job set lease_expires_at = now() + make_interval(secs => ?)
                where id = ? and lease_owner = ? and status = 'RUNNING' returning cancel_requested""")
                .params(lease.toMillis() / 1000.0, id, worker).query(Boolean.class).optional();
    }

    boolean progress(UUID id, String worker, int epoch, int step, int steps) {
        return jdbc.sql("update training.job set epoch = ?, step = ?, steps = ? where id = ? and lease_owner = ? and status = 'RUNNING'")
                .params(epoch, step, steps, id, worker).update() == 1;
    }

    void event(UUID id, String type, Object data) {
        jdbc.sql("insert into training.job_event (job_id, type, data) values (?, ?, ?::jsonb)")
                .params(id, type, JSON.writeValueAsString(data)).update();
    }

    boolean succeed(UUID id, String worker, JobMetrics metrics, UUID modelId) {
        return recorded(id, "succeeded", java.util.Map.of("status", "SUCCEEDED", "modelId", modelId, "metrics", metrics),
                jdbc.sql("""
                update training.job set status = 'SUCCEEDED', metrics = ?::jsonb, model_id = ?, error = null,
                       finished_at = now(), lease_owner = null, lease_expires_at = null
                where id = ? and lease_owner = ? and status = 'RUNNING'""")
                .params(JSON.writeValueAsString(metrics), modelId, id, worker).update() == 1);
    }

    /** Ends the job in a final state (FAILED or CANCELLED) with the reason. */
    boolean finish(UUID id, String worker, JobStatus status, String error) {
        java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("status", status.name());
        if (error != null) {
            data.put("error", error);
        }
        return recorded(id, status.name().toLowerCase(java.util.Locale.ROOT), data, jdbc.sql("""
                update training.job set status = ?, error = ?, finished_at = now(), lease_owner = null, lease_expires_at = null
                where id = ? and lease_owner = ? and status = 'RUNNING'""")
                .params(status.name(), error, id, worker).update() == 1);
    }

    /** Gives the job back to the queue after a failure that another attempt may not hit. */
    boolean requeue(UUID id, String worker, String error) {
        return recorded(id, "retrying", java.util.Map.of("status", "QUEUED", "error", error), jdbc.sql("""
                update training.job set status = 'QUEUED', error = ?, lease_owner = null, lease_expires_at = null
                where id = ? and lease_owner = ? and status = 'RUNNING'""")
                .params(error, id, worker).update() == 1);
    }

    /** Events of a job after the given event id, oldest first. */
    java.util.List<JobEvent> events(UUID id, long afterEventId) {
        return jdbc.sql("select id, type, data from training.job_event where job_id = ? and id > ? order by id limit 500")
                .params(id, afterEventId)
                .query((rs, row) -> new JobEvent(rs.getLong("id"), rs.getString("type"), rs.getString("data")))
                .list();
    }

    /** Writes the event when the state change it reports happened; a job that has ended needs no checkpoint any more. */
    private boolean recorded(UUID id, String type, Object data, boolean changed) {
        if (changed) {
            event(id, type, data);
            if (!type.equals("retrying")) {
                deleteCheckpoint(id);
            }
        }
        return changed;
    }

    void deleteCheckpoint(UUID id) {
        jdbc.sql("delete from training.checkpoint where job_id = ?").param(id).update();
    }

    /** The dataset's jobs that have not ended yet. */
    List<UUID> unfinished(String tenant, UUID datasetId) {
        return jdbc.sql("select id from training.job where tenant_id = ? and dataset_id = ? and status in ('QUEUED', 'RUNNING')")
                .params(tenant, datasetId).query(UUID.class).list();
    }

    /** Deletes the checkpoints of the dataset's jobs that have ended; a running job's goes when it ends. */
    int deleteCheckpointsOfEnded(String tenant, UUID datasetId) {
        return jdbc.sql("""
                delete from training.checkpoint c using training.job j
                where c.job_id = j.id and j.tenant_id = ? and j.dataset_id = ? and j.status not in ('QUEUED', 'RUNNING')""")
                .params(tenant, datasetId).update();
    }

    private static TrainingJob map(ResultSet rs, int row) throws SQLException {
        String metrics = rs.getString("metrics");
        JobMetrics metricsJson = metrics == null ? null : JSON.readValue(metrics, JobMetrics.class);
        String privacy = rs.getString("privacy");
        String report = rs.getString("privacy_report");
        return new TrainingJob(rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getObject("dataset_id", UUID.class),
                JobStatus.valueOf(rs.getString("status")), rs.getInt("epochs"), rs.getInt("batch_size"),
                rs.getObject("learning_rate", Double.class), rs.getLong("seed"), rs.getInt("epoch"), rs.getInt("step"), rs.getInt("steps"),
                metricsJson, rs.getObject("model_id", UUID.class), rs.getString("error"), rs.getInt("attempt"),
                rs.getInt("max_attempts"), rs.getBoolean("cancel_requested"), instant(rs, "created_at"),
                instant(rs, "started_at"), instant(rs, "finished_at"),
                privacy == null ? null : JSON.readValue(privacy, JobPrivacy.class),
                report == null ? null : JSON.readValue(report, PrivacyReport.class),
                rs.getBoolean("train_text"), rs.getBoolean("train_image"), rs.getObject("fine_tune_text", Boolean.class),
                rs.getObject("balance_classes", Boolean.class));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
