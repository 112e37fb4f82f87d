package dev.braid.common.crypto;

import java.security.Provider;
import java.security.Security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts Conscrypt (BoringSSL, natives inside its jar) first among the JCE providers when it is on
 * the classpath: its AES-GCM runs at gigabytes per second where the JDK's runs at tens of
 * megabytes. Tink, which asks the JCE for its ciphers, then uses it. Without Conscrypt nothing
 * changes and the JDK's provider serves, correctly but slower.
 */
public final class FastCrypto {

    private static final Logger log = LoggerFactory.getLogger(FastCrypto.class);
    private static volatile boolean installed;

    private FastCrypto() {
    }

    /** Installs Conscrypt once per JVM; true when it is in place. */
    public static synchronized boolean install() {
        if (installed) {
            return true;
        }
        try {
            Class<?> conscrypt = Class.forName("org.conscrypt.Conscrypt");
            boolean available = (Boolean) conscrypt.getMethod("isAvailable").invoke(null);
            if (!available) {
                log.warn("Conscrypt is on the classpath but its native library does not load here; using the JDK's AES-GCM");
                return false;
            }
            Provider provider = (Provider) conscrypt.getMethod("newProvider").invoke(null);
            if (Security.getProvider(provider.getName()) == null) {
                Security.insertProviderAt(provider, 1);
            }
            installed = true;
            log.info("Conscrypt installed as the first security provider");
            return true;
        }
        catch (ClassNotFoundException ex) {
            log.info("Conscrypt is not on the classpath; using the JDK's AES-GCM");
            return false;
        }
        catch (ReflectiveOperationException | LinkageError | RuntimeException ex) {
            log.warn("Conscrypt could not be installed ({}); using the JDK's AES-GCM", ex.toString());
            return false;
        }
    }
}
