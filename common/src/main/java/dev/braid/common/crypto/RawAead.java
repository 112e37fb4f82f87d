package dev.braid.common.crypto;

import java.security.GeneralSecurityException;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.util.SecretBytes;

/**
 * A Tink AES-256-GCM AEAD over 32 raw key bytes (a master key, a dataset's data key): random
 * 12-byte nonce and 16-byte tag per message, no key-id prefix since there is one key. Installs
 * Conscrypt's AES-GCM first when it is there.
 */
public final class RawAead {

    private RawAead() {
    }

    public static Aead of(byte[] key) throws GeneralSecurityException {
        if (key == null || key.length != 32) {
            throw new GeneralSecurityException("an AES-256 key is 32 bytes");
        }
        FastCrypto.install();
        AeadConfig.register();
        AesGcmParameters parameters = AesGcmParameters.builder()
                .setKeySizeBytes(32)
                .setIvSizeBytes(12)
                .setTagSizeBytes(16)
                .setVariant(AesGcmParameters.Variant.NO_PREFIX)
                .build();
        AesGcmKey aesKey = AesGcmKey.builder()
                .setParameters(parameters)
                .setKeyBytes(SecretBytes.copyFrom(key, InsecureSecretKeyAccess.get()))
                .build();
        return KeysetHandle.newBuilder().addEntry(KeysetHandle.importKey(aesKey).withFixedId(1).makePrimary()).build()
                .getPrimitive(RegistryConfiguration.get(), Aead.class);
    }
}
