package dev.braid.privacy;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Privacy service settings ({@code braid.privacy.*}).
 *
 * @param masterKey the master key, base64 of 32 random bytes ({@code BRAID_MASTER_KEY}); when empty,
 *        one is generated once into {@code $BRAID_HOME/master.key} (local mode only)
 * @param rewrap how data keys are moved to a rotated key-encryption key
 * @param accountant limits on what one accountant request may ask for
 */
@Validated
@ConfigurationProperties("braid.privacy")
public record PrivacyProperties(String masterKey, @Valid @DefaultValue Rewrap rewrap,
        @Valid @DefaultValue Accountant accountant) {

    /**
     * @param batchSize data keys rewrapped per transaction
     * @param interval how often the rewrapper looks for work
     */
    public record Rewrap(@DefaultValue("100") @Min(1) int batchSize, @DefaultValue("2s") Duration interval) {
    }

    /**
     * @param maxMechanisms mechanisms one request may compose
     * @param maxOrders RDP orders one request may give
     */
    public record Accountant(@DefaultValue("1000") @Min(1) int maxMechanisms, @DefaultValue("1000") @Min(1) int maxOrders) {
    }
}
