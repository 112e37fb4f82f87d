package dev.braid.privacy.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Each tenant's key-encryption keys: one Tink AES-256-GCM keyset whose primary key wraps new data
 * keys, while older keys still unwrap until the rewrap has moved every data key off them. Read
 * from the database on every use (never cached), so all instances agree on the primary at once;
 * callers take the row lock they need (share to use, update to change) inside their transaction.
 */
@Component
class TenantKeyRing {

    private final JdbcClient jdbc;
    private final MasterKey master;
    private final KeyAudit audit;

    TenantKeyRing(JdbcClient jdbc, MasterKey master, KeyAudit audit) {
        this.jdbc = jdbc;
        this.master = master;
        this.audit = audit;
    }

    /** A tenant's keyset, decrypted, with its primary key's id. */
    record Ring(String tenant, KeysetHandle handle) {

        long primaryKeyId() {
            return Integer.toUnsignedLong(handle.getPrimary().getId());
        }

        List<Long> keyIds() {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < handle.size(); i++) {
                ids.add(Integer.toUnsignedLong(handle.getAt(i).getId()));
            }
            return ids;
        }

        Aead aead() {
            try {
                return handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
            }
            catch (GeneralSecurityException ex) {
                throw new IllegalStateException("the tenant keyset has no usable AEAD", ex);
            }
        }
    }

    /** The tenant's ring, created on first use; locks the row for share (using keys) or update (changing them). */
    Ring lock(String tenant, boolean forUpdate) {
        Optional<byte[]> stored = read(tenant, forUpdate);
        if (stored.isEmpty()) {
            create(tenant);
            stored = read(tenant, forUpdate);
        }
        return new Ring(tenant, decrypt(tenant, stored.orElseThrow()));
    }

    /** Adds a fresh key and makes it primary; the old keys stay until the rewrap retires them. */
    Ring rotate(String tenant) {
        Ring ring = lock(tenant, true);
        try {
            KeysetHandle rotated = KeysetHandle.newBuilder(ring.handle())
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM).withRandomId().makePrimary())
                    .build();
            Ring next = new Ring(tenant, rotated);
            save(next, true);
            audit.record(tenant, "KEK_ROTATED", null, next.primaryKeyId(), "previous primary " + ring.primaryKeyId());
            return next;
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("could not rotate the key-encryption key", ex);
        }
    }

    /** Removes every non-primary key that no data key uses any more; returns the ids removed. Call with the row locked for update. */
    List<Long> retire(Ring ring, Set<Long> inUse) {
        KeysetHandle.Builder builder = KeysetHandle.newBuilder(ring.handle());
        List<Long> retired = new ArrayList<>();
        // the builder keeps the handle's order, so index i names the same key in both
        for (int i = builder.size() - 1; i >= 0; i--) {
            long id = Integer.toUnsignedLong(ring.handle().getAt(i).getId());
            if (!ring.handle().getAt(i).isPrimary() && !inUse.contains(id)) {
                builder.deleteAt(i);
                retired.add(id);
            }
        }
        if (!retired.isEmpty()) {
            try {
                save(new Ring(ring.tenant(), builder.build()), false);
            }
            catch (GeneralSecurityException ex) {
                throw new IllegalStateException("could not retire old key-encryption keys", ex);
            }
            for (long id : retired) {
                audit.record(ring.tenant(), "KEK_VERSION_RETIRED", null, id, null);
            }
        }
        return retired;
    }

    private Optional<byte[]> read(String tenant, boolean forUpdate) {
        return jdbc.sql("select keyset from privacy.tenant_kek where tenant_id = ? " + (forUpdate ? "for update" : "for share"))
                .param(tenant).query(byte[].class).optional();
    }

    private void create(String tenant) {
        try {
            Ring ring = new Ring(tenant, KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
            int inserted = jdbc.sql("""
                    insert into privacy.tenant_kek (tenant_id, keyset, primary_key_id) values (?, ?, ?)
                    on conflict (tenant_id) do nothing""")
                    .params(tenant, encrypt(ring), ring.primaryKeyId()).update();
            if (inserted == 1) {
                audit.record(tenant, "KEK_CREATED", null, ring.primaryKeyId(), null);
            }
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("could not create a key-encryption key", ex);
        }
    }

    private void save(Ring ring, boolean rotated) {
        jdbc.sql("update privacy.tenant_kek set keyset = ?, primary_key_id = ?" + (rotated ? ", rotated_at = now()" : "")
                + " where tenant_id = ?")
                .params(encrypt(ring), ring.primaryKeyId(), ring.tenant()).update();
    }

    private byte[] encrypt(Ring ring) {
        try {
            return TinkProtoKeysetFormat.serializeEncryptedKeyset(ring.handle(), master.aead(), associatedData(ring.tenant()));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("could not encrypt the tenant keyset", ex);
        }
    }

    private KeysetHandle decrypt(String tenant, byte[] stored) {
        try {
            return TinkProtoKeysetFormat.parseEncryptedKeyset(stored, master.aead(), associatedData(tenant));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("the tenant keyset does not decrypt under this master key", ex);
        }
    }

    private static byte[] associatedData(String tenant) {
        return ("braid/kek/v1/" + tenant).getBytes(StandardCharsets.UTF_8);
    }
}
