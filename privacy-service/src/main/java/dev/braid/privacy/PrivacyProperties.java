package dev.braid.privacy;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Privacy service settings ({@code braid.privacy.*}).
 *
 * @param accountant limits on what one accountant request may ask for
 */
@Validated
@ConfigurationProperties("braid.privacy")
public record PrivacyProperties(@Valid @DefaultValue Accountant accountant) {

    /**
     * @param maxMechanisms mechanisms one request may compose
     * @param maxOrders RDP orders one request may give
     */
    public record Accountant(@DefaultValue("1000") @Min(1) int maxMechanisms, @DefaultValue("1000") @Min(1) int maxOrders) {
    }
}
