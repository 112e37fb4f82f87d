package dev.braid.privacy.budget;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.braid.common.internalapi.BudgetLedgerApi.OpenReservation;

/** {@code privacy.budget} and {@code privacy.ledger_entry}, always filtered by tenant. */
@Repository
class LedgerRepository {

    private final JdbcClient jdbc;

    LedgerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Budget(UUID datasetId, String tenant, double epsilonBudget, double delta) {
    }

    boolean insertBudget(UUID datasetId, String tenant, double epsilonBudget, double delta) {
        return jdbc.sql("""
                insert into privacy.budget (dataset_id, tenant_id, epsilon_budget, delta) values (?, ?, ?, ?)
                on conflict (dataset_id) do nothing""").params(datasetId, tenant, epsilonBudget, delta).update() == 1;
    }

    /** The budget, locked against every other reservation, commit and release of the dataset until the transaction ends. */
    Optional<Budget> lockBudget(String tenant, UUID datasetId) {
        return jdbc.sql("select * from privacy.budget where tenant_id = ? and dataset_id = ? for update")
                .params(tenant, datasetId).query(LedgerRepository::mapBudget).optional();
    }

    Optional<Budget> findBudget(String tenant, UUID datasetId) {
        return jdbc.sql("select * from privacy.budget where tenant_id = ? and dataset_id = ?")
                .params(tenant, datasetId).query(LedgerRepository::mapBudget).optional();
    }

    List<LedgerEntry> entries(UUID datasetId) {
        return jdbc.sql("select * from privacy.ledger_entry where dataset_id = ? order by created_at, job_id")
                .param(datasetId).query(LedgerRepository::mapEntry).list();
    }

    List<OpenReservation> openReservations(java.time.Duration olderThan) {
        return jdbc.sql("""
                select b.tenant_id, e.dataset_id, e.job_id from privacy.ledger_entry e join privacy.budget b using (dataset_id)
                where e.state = 'RESERVED' and e.created_at < now() - make_interval(secs => ?) order by e.created_at limit 500""")
                .param((double) olderThan.toSeconds())
                .query((rs, row) -> new OpenReservation(rs.getString("tenant_id"), rs.getObject("dataset_id", UUID.class),
                        rs.getObject("job_id", UUID.class)))
                .list();
    }

    void insertReservation(UUID datasetId, UUID jobId, double q, double sigma, long steps, Double selectionSigma, double epsilon,
            double[] rdp) {
        jdbc.sql("""
                insert into privacy.ledger_entry (dataset_id, job_id, state, sample_rate, noise_multiplier, planned_steps,
                                                  selection_noise_multiplier, epsilon_planned, rdp)
                values (?, ?, 'RESERVED', ?, ?, ?, ?, ?, ?)""")
                .params(datasetId, jobId, q, sigma, steps, selectionSigma, epsilon, boxed(rdp)).update();
    }

    void commit(UUID datasetId, UUID jobId, long steps, boolean selectionRun, double epsilon, double[] rdp) {
        jdbc.sql("""
                update privacy.ledger_entry set state = 'COMMITTED', spent_steps = ?, selection_run = ?, epsilon_spent = ?, rdp = ?,
                                                updated_at = now()
                where dataset_id = ? and job_id = ?""")
                .params(steps, selectionRun, epsilon, boxed(rdp), datasetId, jobId).update();
    }

    void release(UUID datasetId, UUID jobId) {
        jdbc.sql("update privacy.ledger_entry set state = 'RELEASED', updated_at = now() where dataset_id = ? and job_id = ?")
                .params(datasetId, jobId).update();
    }

    private static Double[] boxed(double[] values) {
        Double[] boxed = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }

    private static Budget mapBudget(ResultSet rs, int row) throws SQLException {
        return new Budget(rs.getObject("dataset_id", UUID.class), rs.getString("tenant_id"), rs.getDouble("epsilon_budget"),
                rs.getDouble("delta"));
    }

    private static LedgerEntry mapEntry(ResultSet rs, int row) throws SQLException {
        Array array = rs.getArray("rdp");
        Double[] values = (Double[]) array.getArray();
        double[] rdp = new double[values.length];
        for (int i = 0; i < rdp.length; i++) {
            rdp[i] = values[i];
        }
        long spent = rs.getLong("spent_steps");
        Long spentSteps = rs.wasNull() ? null : spent;
        double epsilonSpent = rs.getDouble("epsilon_spent");
        Double spentEpsilon = rs.wasNull() ? null : epsilonSpent;
        return new LedgerEntry(rs.getObject("job_id", UUID.class), LedgerEntry.State.valueOf(rs.getString("state")),
                rs.getDouble("sample_rate"), rs.getDouble("noise_multiplier"), rs.getLong("planned_steps"), spentSteps,
                rs.getObject("selection_noise_multiplier", Double.class), rs.getObject("selection_run", Boolean.class),
                rs.getDouble("epsilon_planned"), spentEpsilon, rdp, rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
