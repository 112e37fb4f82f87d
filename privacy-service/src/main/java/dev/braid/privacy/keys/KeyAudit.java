package dev.braid.privacy.keys;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.braid.common.security.CallerContext;

/** Appends to {@code privacy.key_audit}: who did what to which key, and when. Never key bytes. */
@Component
class KeyAudit {

    private final JdbcClient jdbc;

    KeyAudit(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void record(String tenant, String operation, UUID datasetId, Long keyId, String detail) {
        String actor = CallerContext.find().map(c -> c.subject()).orElse("privacy-service");
        jdbc.sql("insert into privacy.key_audit (tenant_id, actor, operation, dataset_id, key_id, detail) values (?, ?, ?, ?, ?, ?)")
                .params(tenant, actor, operation, datasetId, keyId, detail)
                .update();
    }
}
