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
     * Each mechanism costs one series per order, at most a few milliseconds each (large q with a
     * very large σ is the slow end), so these bound the work of one request; the order values and
     * the search tolerance are bounded in the request's own validation.
     *
     * @param maxMechanisms mechanisms one request may compose
     * @param maxOrders RDP orders one request may give
     * @param maxSeries mechanisms × orders one request may cost: 2,048 is 13 mechanisms at the 151
     *        default orders, a few seconds of one core at worst
     */
    public record Accountant(@DefaultValue("64") @Min(1) int maxMechanisms, @DefaultValue("256") @Min(1) int maxOrders,
            @DefaultValue("2048") @Min(1) int maxSeries) {
    }
}
