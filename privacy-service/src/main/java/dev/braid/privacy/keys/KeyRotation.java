package dev.braid.privacy.keys;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Rotation of a tenant's key-encryption key and the state of the keys; the rewrap follows in the background. */
@Service
class KeyRotation {

    private final TenantKeyRing rings;
    private final JdbcClient jdbc;

    KeyRotation(TenantKeyRing rings, JdbcClient jdbc) {
        this.rings = rings;
        this.jdbc = jdbc;
    }

    record Status(long primaryKeyVersion, List<Long> keyVersions, long dataKeys, long pendingRewrap) {
    }

    @Transactional
    Status rotate(String tenant) {
        TenantKeyRing.Ring ring = rings.rotate(tenant);
        return status(ring);
    }

    @Transactional
    Status status(String tenant) {
        return status(rings.lock(tenant, false));
    }

    private Status status(TenantKeyRing.Ring ring) {
        long dataKeys = jdbc.sql("select count(*) from privacy.data_key where tenant_id = ? and wrapped is not null")
                .param(ring.tenant()).query(Long.class).single();
        long pending = jdbc.sql("select count(*) from privacy.data_key where tenant_id = ? and wrapped is not null and kek_key_id <> ?")
                .params(ring.tenant(), ring.primaryKeyId()).query(Long.class).single();
        return new Status(ring.primaryKeyId(), ring.keyIds(), dataKeys, pending);
    }
}
