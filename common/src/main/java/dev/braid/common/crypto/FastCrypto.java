package dev.braid.common.crypto;

import java.security.Provider;
import java.security.Security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts Conscrypt's AES-GCM (BoringSSL, natives inside its jar) first among the JCE providers when Conscrypt is on
 * the classpath, and nothing else of it: its AES-GCM runs at gigabytes per second on any x86-64 or ARM core with AES
 * instructions, where the JDK's runs at tens of megabytes until its JIT compiles it, and fast afterwards only on cores
 * with AVX-512 VAES. Tink, which asks the JCE for its ciphers, then uses it. Conscrypt's digests and MACs are left
 * out: its SHA-256 (and so HMAC-SHA256, the records' fingerprints) ran at 415 MB/s where the JDK's, on the SHA
 * instructions, ran at 1.67 GB/s on the same core. Without Conscrypt nothing changes and the JDK's providers serve.
 */
public final class FastCrypto {

    private static final Logger log = LoggerFactory.getLogger(FastCrypto.class);
    private static volatile boolean installed;

    private static final String AES_GCM = "AES/GCM/NoPadding";

    private FastCrypto() {
    }

    /** A provider of one service, Conscrypt's AES-GCM, under its own name. */
    private static final class AesGcmOnly extends Provider {

        static final String NAME = "BraidConscryptAesGcm";

        AesGcmOnly(Provider.Service gcm) {
            super(NAME, "1.0", "Conscrypt's " + AES_GCM + " alone");
            putService(new Service(this, "Cipher", AES_GCM, gcm.getClassName(), null, null) {
                @Override
                public Object newInstance(Object parameter) throws java.security.NoSuchAlgorithmException {
                    return gcm.newInstance(parameter);
                }

                @Override
                public boolean supportsParameter(Object parameter) {
                    return gcm.supportsParameter(parameter);
                }
            });
        }
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
            Provider.Service gcm = provider.getService("Cipher", AES_GCM);
            if (gcm == null) {
                log.warn("Conscrypt offers no {}; using the JDK's", AES_GCM);
                return false;
            }
            if (Security.getProvider(AesGcmOnly.NAME) == null) {
                Security.insertProviderAt(new AesGcmOnly(gcm), 1);
            }
            installed = true;
            log.info("Conscrypt's AES-GCM installed as the first security provider");
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
