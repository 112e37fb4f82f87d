package dev.braid.privacy.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import com.google.crypto.tink.Aead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.braid.common.PlatformProperties;
import dev.braid.common.crypto.RawAead;
import dev.braid.privacy.PrivacyProperties;

/**
 * The root of the key hierarchy: an AES-256-GCM key that encrypts every tenant's keyset. It comes
 * from {@code BRAID_MASTER_KEY}; in local mode, when that is unset, it is generated once into
 * {@code $BRAID_HOME/master.key} (mode 0600) with a warning, since a key on the same disk as the
 * data it protects is only fit for development.
 */
@Component
class MasterKey {

    private static final Logger log = LoggerFactory.getLogger(MasterKey.class);

    private final Aead aead;

    MasterKey(PrivacyProperties properties, PlatformProperties platform) throws GeneralSecurityException {
        this.aead = RawAead.of(rawKey(properties.masterKey(), platform.home().resolve("master.key")));
    }

    Aead aead() {
        return aead;
    }

    private static byte[] rawKey(String configured, Path file) {
        if (configured != null && !configured.isBlank()) {
            return decode(configured.strip(), "BRAID_MASTER_KEY");
        }
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Files.createDirectories(file.getParent());
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, Base64.getEncoder().encodeToString(fresh), StandardCharsets.US_ASCII);
                    log.warn("BRAID_MASTER_KEY is not set: generated a master key into {} (mode 0600). This is for local "
                            + "use only; in production give BRAID_MASTER_KEY from a secret store, never beside the data.", file);
                }
                catch (FileAlreadyExistsException raced) {
                    // another instance created it first; use theirs
                }
            }
            else {
                log.warn("BRAID_MASTER_KEY is not set: using the local master key in {} (development only)", file);
            }
            return decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("could not read or create the master key file " + file, ex);
        }
    }

    private static byte[] decode(String base64, String source) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalStateException("the master key in " + source + " is not base64");
        }
        if (raw.length != 32) {
            throw new IllegalStateException("the master key in " + source + " must be 32 bytes (base64 of 32 random bytes)");
        }
        return raw;
    }
}
