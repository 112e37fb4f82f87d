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
 * Makes sure an admin can get in on first start, before the gateway serves anything: the key
 * given in {@code BRAID_ADMIN_KEY} is registered (idempotently), or, when none is given and no
 * admin key exists yet, a random one is created and written to {@code $BRAID_HOME/admin.key}
 * with mode 0600. The key itself is shown on the console only when one is attached, never logged.
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
            if (repository.insert(UUID.randomUUID(), gateway.bootstrapTenant(), Role.ADMIN, "bootstrap (BRAID_ADMIN_KEY)",
                    ApiKeys.hash(configured.strip()))) {
                log.info("Registered the admin key from BRAID_ADMIN_KEY for tenant '{}'", gateway.bootstrapTenant());
            }
            return;
        }
        String created = transactions.execute(status -> {
            repository.lockBootstrap();
            if (repository.anyActiveAdmin()) {
                return null;
            }
            String key = ApiKeys.generate();
            repository.insert(UUID.randomUUID(), gateway.bootstrapTenant(), Role.ADMIN, "bootstrap", ApiKeys.hash(key));
            writeKeyFile(key);
            return key;
        });
        if (created != null) {
            Path file = keyFile();
            log.warn("Created the bootstrap admin key for tenant '{}'; it is in {} (mode 0600)", gateway.bootstrapTenant(), file);
            if (System.console() != null) {
                System.console().printf("%nBraid bootstrap admin key (shown once): %s%n%n", created);
            }
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
