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
     * Each mechanism costs one series per order, and each series up to
     * {@code RdpAccountant.MAX_SERIES_TERMS} terms (large q with a very large σ is the slow end), so
     * the first three bound a request's shape before anything is computed; {@code maxWork} bounds
     * what it really sums, search evaluations included. The order values and the search tolerance are
     * bounded in the request's own validation.
     *
     * @param maxMechanisms mechanisms one request may compose
     * @param maxOrders RDP orders one request may give
     * @param maxSeries mechanisms × orders one request may ask for
     * @param maxWork series terms one request may sum, counted as they are summed: a term costs 80 to
     *        600 ns on the reference machine (a 2-core Xeon), so 1.5 million is at most about 0.9 s of
     *        one core, while a job's σ search at realistic sampling rates needs well under a million
     * @param threads threads that compute accountant answers, apart from the web server's: the key and
     *        ledger calls every service depends on never wait behind them
     * @param queue requests that may wait for those threads; more are refused with 429
     * @param perTenant places, running or waiting, one tenant may hold: a tenant that floods the
     *        accountant gets 429s while the others still have the rest
     * @param auditRetention how long an accountant answer's audit row is kept
     */
    public record Accountant(@DefaultValue("64") @Min(1) int maxMechanisms, @DefaultValue("256") @Min(1) int maxOrders,
            @DefaultValue("2048") @Min(1) int maxSeries, @DefaultValue("1500000") @Min(1) long maxWork,
            @DefaultValue("1") @Min(1) int threads, @DefaultValue("4") @Min(1) int queue, @DefaultValue("2") @Min(1) int perTenant,
            @DefaultValue("30d") Duration auditRetention) {
    }
}
