package dev.braid.privacy.keys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.braid.common.problem.ApiException;
import dev.braid.common.security.CallerContext;

/**
 * Data keys, one per dataset: 256 random bits, handed out in plaintext once (at creation) and
 * otherwise only through {@link #unwrap}; stored only wrapped by the tenant's keyset with
 * associated data naming tenant and dataset, so a wrapped key copied to another dataset or
 * tenant does not unwrap. Destroying it is crypto-shredding: the wrapped bytes are gone.
 */
@Service
public class DataKeyService {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final TenantKeyRing rings;
    private final KeyAudit audit;

    DataKeyService(JdbcClient jdbc, TenantKeyRing rings, KeyAudit audit) {
        this.jdbc = jdbc;
        this.rings = rings;
        this.audit = audit;
    }

    /** A new data key, in plaintext and wrapped, with the version of the key that wrapped it. */
    public record DataKey(UUID datasetId, byte[] plaintext, byte[] wrapped, long keyVersion) {
    }

    @Transactional
    public DataKey create(UUID datasetId) {
        String tenant = CallerContext.tenant();
        TenantKeyRing.Ring ring = rings.lock(tenant, false);
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        byte[] wrapped = encrypt(ring, key, tenant, datasetId);
        int inserted = jdbc.sql("""
                insert into privacy.data_key (dataset_id, tenant_id, wrapped, kek_key_id) values (?, ?, ?, ?)
                on conflict (dataset_id) do nothing""")
                .params(datasetId, tenant, wrapped, ring.primaryKeyId()).update();
        if (inserted == 0) {
            Arrays.fill(key, (byte) 0);
            throw ApiException.conflict("data-key-exists", "Dataset " + datasetId + " already has a data key");
        }
        audit.record(tenant, "DATA_KEY_CREATED", datasetId, ring.primaryKeyId(), null);
        return new DataKey(datasetId, key, wrapped, ring.primaryKeyId());
    }

    /**
     * The plaintext data key of the caller's dataset: from the wrapped form given (as the caller
     * kept it) or, when none is given, from the stored one.
     */
    @Transactional
    public byte[] unwrap(UUID datasetId, byte[] wrappedFromCaller) {
        String tenant = CallerContext.tenant();
        TenantKeyRing.Ring ring = rings.lock(tenant, false);
        // the stored key must still exist even when the caller brings its own copy: after
        // destruction no copy, wherever it was kept, unwraps again
        byte[] stored = stored(tenant, datasetId).orElseThrow(() -> missing(tenant, datasetId));
        byte[] wrapped = wrappedFromCaller != null ? wrappedFromCaller : stored;
        byte[] key = decrypt(ring, wrapped, tenant, datasetId);
        audit.record(tenant, "DATA_KEY_UNWRAPPED", datasetId, keyIdOf(wrapped), null);
        return key;
    }

    /** Crypto-shredding: forgets the wrapped key for good. Idempotent. */
    @Transactional
    public void destroy(UUID datasetId) {
        String tenant = CallerContext.tenant();
        int destroyed = jdbc.sql("""
                update privacy.data_key set wrapped = null, kek_key_id = null, destroyed_at = now()
                where tenant_id = ? and dataset_id = ? and wrapped is not null""").params(tenant, datasetId).update();
        if (destroyed == 1) {
            audit.record(tenant, "DATA_KEY_DESTROYED", datasetId, null, null);
        }
    }

    private Optional<byte[]> stored(String tenant, UUID datasetId) {
        return jdbc.sql("select wrapped from privacy.data_key where tenant_id = ? and dataset_id = ? and wrapped is not null")
                .params(tenant, datasetId).query(byte[].class).optional();
    }

    private ApiException missing(String tenant, UUID datasetId) {
        boolean destroyed = jdbc.sql("select exists(select 1 from privacy.data_key where tenant_id = ? and dataset_id = ?)")
                .params(tenant, datasetId).query(Boolean.class).single();
        return destroyed ? new KeyDestroyed(datasetId) : ApiException.notFound("Data key of dataset", datasetId);
    }

    static byte[] encrypt(TenantKeyRing.Ring ring, byte[] key, String tenant, UUID datasetId) {
        try {
            return ring.aead().encrypt(key, associatedData(tenant, datasetId));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("could not wrap the data key", ex);
        }
    }

    static byte[] decrypt(TenantKeyRing.Ring ring, byte[] wrapped, String tenant, UUID datasetId) {
        try {
            return ring.aead().decrypt(wrapped, associatedData(tenant, datasetId));
        }
        catch (GeneralSecurityException ex) {
            throw ApiException.unprocessable("data-key-mismatch",
                    "The wrapped key does not belong to dataset " + datasetId + " of this tenant, or its key version was retired");
        }
    }

    /** The Tink key id in a wrapped key's 5-byte prefix (version byte, then the id). */
    static long keyIdOf(byte[] wrapped) {
        return wrapped.length < 5 ? -1 : Integer.toUnsignedLong(ByteBuffer.wrap(wrapped, 1, 4).getInt());
    }

    private static byte[] associatedData(String tenant, UUID datasetId) {
        return ("braid/dk/v1/" + tenant + "/" + datasetId).getBytes(StandardCharsets.UTF_8);
    }

    /** 410: the dataset's key was destroyed; its data can never be read again. */
    static final class KeyDestroyed extends ApiException {

        KeyDestroyed(UUID datasetId) {
            super(HttpStatus.GONE, "data-key-destroyed", "The data key of dataset " + datasetId
                    + " was destroyed; its data can never be read again");
        }
    }
}
