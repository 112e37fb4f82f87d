package dev.braid.model;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The random numbers of a training run, derived from (seed, step, purpose) rather than drawn
 * from one running generator: a run resumed from a checkpoint at step s draws exactly what the
 * first run would have drawn from step s on, so the checkpoint's "RNG state" is its step count.
 *
 * <p>Private runs must not use a seed the caller knows: DP-SGD's guarantee rests on noise and
 * sampling the adversary cannot predict. They use a 256-bit secret from {@link java.security.SecureRandom},
 * kept only inside the (encrypted) checkpoint, and the JDK's ChaCha20 keystream under that key
 * as the generator: a standard cipher used as a pseudorandom generator, keyed per run, with the
 * step and purpose as the nonce.
 */
final class StepRandom {

    /** What a draw is for; new purposes go last, since a purpose's ordinal is part of its nonce. */
    enum Purpose { INITIALISE, SAMPLE, AUGMENT, NOISE, SELECT, RELEASE }

    private StepRandom() {
    }

    static RandomGenerator of(long seed, byte[] secret, long step, Purpose purpose) {
        if (secret == null) {
            long mixed = seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + (purpose.ordinal() + 1) * 0x94D049BB133111EBL;
            return new SplittableRandom(mixed);
        }
        return new KeystreamRandom(secret, step, purpose.ordinal());
    }

    /** Uniform longs from a ChaCha20 keystream. */
    private static final class KeystreamRandom implements RandomGenerator {

        private final Cipher cipher;
        private final byte[] zeros = new byte[4096];
        private ByteBuffer buffer = ByteBuffer.allocate(0);

        KeystreamRandom(byte[] key, long step, int purpose) {
            byte[] nonce = ByteBuffer.allocate(12).putInt(purpose).putLong(step).array();
            try {
                cipher = Cipher.getInstance("ChaCha20", "SunJCE");
                cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(nonce, 0));
            }
            catch (GeneralSecurityException ex) {
                throw new IllegalStateException("ChaCha20 is not available in this JDK", ex);
            }
        }

        @Override
        public long nextLong() {
            if (buffer.remaining() < Long.BYTES) {
                buffer = ByteBuffer.wrap(cipher.update(zeros));
            }
            return buffer.getLong();
        }
    }
}
