package dev.braid.privacy.accountant;

import java.time.Duration;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.common.security.CallerContext;
import dev.braid.privacy.PrivacyProperties;

/**
 * One {@code privacy.accountant_query} row per answer the accountant gave (who asked, what, what ε
 * came out), kept for {@code braid.privacy.accountant.audit-retention} and then deleted, a batch per
 * transaction, so the table holds a bounded window however many requests arrive. The ledger's own
 * entries are not audit rows and are never pruned.
 */
@Component
class AccountantAudit {

    private static final Logger log = LoggerFactory.getLogger(AccountantAudit.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PRUNE_BATCH = 10_000;

    private final JdbcClient jdbc;
    private final Duration retention;

    AccountantAudit(JdbcClient jdbc, PrivacyProperties properties) {
        this.jdbc = jdbc;
        this.retention = properties.accountant().auditRetention();
    }

    void record(Map<String, Object> request, double epsilon, Double order) {
        jdbc.sql("insert into privacy.accountant_query (tenant_id, request, epsilon, best_order) values (?, ?::jsonb, ?, ?)")
                .params(CallerContext.tenant(), JSON.writeValueAsString(request), epsilon, order)
                .update();
    }

    /** Deletes the rows older than the retention period; returns how many went. */
    @Scheduled(fixedDelayString = "${braid.privacy.accountant.audit-prune-interval:1h}", initialDelayString = "1m")
    long prune() {
        long deleted = 0;
        int batch;
        do {
            batch = jdbc.sql("""
                    delete from privacy.accountant_query where id in (
                        select id from privacy.accountant_query where created_at < now() - make_interval(secs => ?) limit ?)""")
                    .params((double) retention.toSeconds(), PRUNE_BATCH).update();
            deleted += batch;
        } while (batch == PRUNE_BATCH);
        if (deleted > 0) {
            log.info("Pruned {} accountant audit rows older than {}", deleted, retention);
        }
        return deleted;
    }
}
