package dev.braid.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import com.google.crypto.tink.Aead;

class FastCryptoTests {

    @Test
    void shouldPutConscryptsAesGcmFirstAndLeaveDigestsAndMacsToTheJdk() throws Exception {
        assertThat(FastCrypto.install()).as("Conscrypt's natives load on this platform").isTrue();

        assertThat(Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName()).isEqualTo("BraidConscryptAesGcm");
        assertThat(MessageDigest.getInstance("SHA-256").getProvider().getName()).isEqualTo("SUN");
        assertThat(Mac.getInstance("HmacSHA256").getProvider().getName()).isEqualTo("SunJCE");
        assertThat(FastCrypto.install()).as("a second install changes nothing").isTrue();
    }

    /** What Tink seals through the installed provider, the JDK's own AES-GCM opens, and the other way round. */
    @Test
    void shouldSealWithTheInstalledProviderWhatTheJdksAesGcmOpens() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Aead aead = RawAead.of(key.clone());
        byte[] message = "a record's image, or any bytes at all".repeat(1000).getBytes(StandardCharsets.UTF_8);
        byte[] associated = "braid/record/v2/...".getBytes(StandardCharsets.UTF_8);

        byte[] sealed = aead.encrypt(message, associated);

        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, sealed, 0, 12));
        jdk.updateAAD(associated);
        assertThat(jdk.doFinal(sealed, 12, sealed.length - 12)).isEqualTo(message);

        byte[] nonce = Arrays.copyOf(sealed, 12);
        nonce[0] ^= 1;
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        jdk.updateAAD(associated);
        byte[] byJdk = jdk.doFinal(message);
        byte[] framed = new byte[12 + byJdk.length];
        System.arraycopy(nonce, 0, framed, 0, 12);
        System.arraycopy(byJdk, 0, framed, 12, byJdk.length);
        assertThat(aead.decrypt(framed, associated)).isEqualTo(message);
    }
}
