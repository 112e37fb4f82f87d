package dev.braid.gateway.apikey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.braid.common.PlatformProperties;
import dev.braid.common.security.Role;
import dev.braid.gateway.GatewayProperties;

/**
 * Makes sure the platform operator can get in on first start, before the gateway serves anything:
 * the key given in {@code BRAID_ADMIN_KEY} is registered (idempotently) with the operator role, or,
 * when none is given and no operator key exists yet, a random one is created and written to
 * {@code $BRAID_HOME/admin.key} with mode 0600 (a key from that file that predates the operator
 * role is promoted to it). The key itself is shown on the console only when one is attached,
 * never logged.
 */
@Component
class BootstrapAdminKey implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdminKey.class);

    private final ApiKeyRepository repository;
    private final TransactionTemplate transactions;
    private final GatewayProperties gateway;
    private final PlatformProperties platform;

    BootstrapAdminKey(ApiKeyRepository repository, TransactionTemplate transactions, GatewayProperties gateway,
            PlatformProperties platform) {
        this.repository = repository;
        this.transactions = transactions;
        this.gateway = gateway;
        this.platform = platform;
    }

    @Override
    public void afterSingletonsInstantiated() {
        String configured = gateway.adminKey();
        if (configured != null && !configured.isBlank()) {
            restoreConfiguredKey(ApiKeys.hash(configured.strip()));
            return;
        }
        String created = transactions.execute(status -> {
            repository.lockBootstrap();
            String existing = readKeyFile();
            if (existing != null && repository.promoteToOperator(ApiKeys.hash(existing))) {
                return null;
            }
            if (repository.anyActiveOperator()) {
                return null;
            }
            String key = ApiKeys.generate();
            repository.insert(UUID.randomUUID(), gateway.bootstrapTenant(), Role.OPERATOR, "bootstrap", ApiKeys.hash(key), null);
            writeKeyFile(key);
            return key;
        });
        if (created != null) {
            Path file = keyFile();
            log.warn("Created the bootstrap operator key for tenant '{}'; it is in {} (mode 0600)", gateway.bootstrapTenant(), file);
            if (System.console() != null) {
                System.console().printf("%nBraid bootstrap operator key (shown once): %s%n%n", created);
            }
        }
    }

    /**
     * The key in {@code BRAID_ADMIN_KEY} is the operator's: registered when new; otherwise made the
     * operator again with no limit of its own (it may have been registered as a plain admin before the
     * operator role existed, or throttled by a tenant admin before only operators could touch it). A
     * revoked one is not brought back: it was revoked for a reason (leaked, say), so the gateway refuses
     * to start and says to set a new key, which then becomes the operator; nobody edits the database.
     * A key of that hash in another tenant is a configuration this gateway will not guess about either.
     */
    private void restoreConfiguredKey(byte[] hash) {
        String tenant = gateway.bootstrapTenant();
        transactions.executeWithoutResult(status -> {
            repository.lockBootstrap();
            if (repository.insert(UUID.randomUUID(), tenant, Role.OPERATOR, "bootstrap (BRAID_ADMIN_KEY)", hash, null)) {
                log.info("Registered the operator key from BRAID_ADMIN_KEY for tenant '{}'", tenant);
                return;
            }
            ApiKeyRepository.StoredKey stored = repository.findByHash(hash).orElseThrow();
            String owner = stored.tenant();
            if (stored.revokedAt() != null) {
                throw new IllegalStateException("BRAID_ADMIN_KEY names a key that was revoked at " + stored.revokedAt()
                        + ": refusing to start with it. Set BRAID_ADMIN_KEY to a new value (one that has never been a key); "
                        + "it becomes the operator key");
            }
            if (!owner.equals(tenant)) {
                throw new IllegalStateException("BRAID_ADMIN_KEY is registered as a key of tenant '" + owner
                        + "', not of the bootstrap tenant '" + tenant + "': refusing to start rather than guess which is meant");
            }
            if (repository.restoreOperator(hash, tenant)) {
                log.warn("The operator key from BRAID_ADMIN_KEY had been demoted or given a rate limit; it is the unlimited "
                        + "operator key of tenant '{}' again", tenant);
            }
        });
    }

    /** The key a previous start wrote, if its file is there. */
    private String readKeyFile() {
        Path file = keyFile();
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("could not read the bootstrap admin key in " + file, ex);
        }
    }

    private Path keyFile() {
        return platform.home().toAbsolutePath().resolve("admin.key");
    }

    private void writeKeyFile(String key) {
        Path file = keyFile();
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("could not write the bootstrap admin key to " + file, ex);
        }
    }
}
