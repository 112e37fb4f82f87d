package dev.braid.privacy.accountant;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;

import dev.braid.common.problem.ApiException;
import dev.braid.common.security.CallerContext;
import dev.braid.privacy.PrivacyProperties;

/**
 * The accountant's facade: checks what the math cannot answer, computes on the accountant's own
 * bounded pool under a work limit, and records each answer for audit.
 */
@Service
public class AccountantService {

    private final PrivacyProperties.Accountant limits;
    private final AccountantPool pool;
    private final AccountantAudit audit;

    AccountantService(PrivacyProperties properties, AccountantPool pool, AccountantAudit audit) {
        this.limits = properties.accountant();
        this.pool = pool;
        this.audit = audit;
    }

    public RdpAccountant.Epsilon epsilon(List<RdpAccountant.Mechanism> mechanisms, double delta, List<Double> orders) {
        if (mechanisms.size() > limits.maxMechanisms()) {
            throw ApiException.badRequest("too-many-mechanisms",
                    "At most " + limits.maxMechanisms() + " mechanisms per request, not " + mechanisms.size());
        }
        List<Double> effectiveOrders = orders == null || orders.isEmpty() ? RdpAccountant.DEFAULT_ORDERS : orders;
        if (effectiveOrders.size() > limits.maxOrders()) {
            throw ApiException.badRequest("too-many-orders",
                    "At most " + limits.maxOrders() + " orders per request, not " + effectiveOrders.size());
        }
        long series = (long) mechanisms.size() * effectiveOrders.size();
        if (series > limits.maxSeries()) {
            throw ApiException.badRequest("too-much-work", "At most " + limits.maxSeries()
                    + " mechanism-order pairs per request (" + mechanisms.size() + " mechanisms × " + effectiveOrders.size()
                    + " orders asked)");
        }
        RdpAccountant.Epsilon result = limited(() -> pool.compute(CallerContext.tenant(), work -> RdpAccountant.epsilon(mechanisms, delta, effectiveOrders,
                work)));
        if (Double.isInfinite(result.epsilon()) || Double.isNaN(result.epsilon())) {
            throw ApiException.unprocessable("no-finite-guarantee",
                    "These mechanisms give no finite (ε, δ) guarantee at any of the orders (a noise multiplier of 0 releases data as is)");
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("mechanisms", mechanisms);
        request.put("delta", delta);
        request.put("orders", orders);
        audit.record(request, result.epsilon(), result.order());
        return result;
    }

    public RdpAccountant.Noise noiseMultiplier(double targetEpsilon, double delta, double q, long steps, double tolerance,
            List<RdpAccountant.Mechanism> alongside) {
        if (alongside.size() + 1 > limits.maxMechanisms()) {
            throw ApiException.badRequest("too-many-mechanisms",
                    "At most " + (limits.maxMechanisms() - 1) + " mechanisms alongside the searched one");
        }
        RdpAccountant.Noise noise = limited(() -> pool.compute(CallerContext.tenant(), work -> RdpAccountant.noiseMultiplier(targetEpsilon, delta, q, steps,
                        tolerance, RdpAccountant.DEFAULT_ORDERS, alongside, work)))
                .orElseThrow(() -> ApiException.unprocessable("budget-too-low",
                        "No noise multiplier up to 10^6 brings ε down to " + targetEpsilon + " for these steps and sampling rate"));
        audit.record(Map.of("targetEpsilon", targetEpsilon, "delta", delta, "sampleRate", q, "steps", steps, "tolerance", tolerance,
                "alongside", alongside, "noiseMultiplier", noise.noiseMultiplier()), noise.epsilon(), null);
        return noise;
    }

    /** A computation past the work limit is the caller's 400, naming the limit and what to ask for instead. */
    private <T> T limited(java.util.function.Supplier<T> computation) {
        try {
            return computation.get();
        }
        catch (Work.Exhausted ex) {
            throw ApiException.badRequest("too-much-work", "This request needs more than " + ex.limit()
                    + " series terms of the accountant, the most one request may sum (braid.privacy.accountant.max-work);"
                    + " ask for fewer mechanisms or orders, a coarser epsilonTolerance, or sampling rates away from 0.5 with"
                    + " very large noise multipliers, whose series converge slowest");
        }
    }
}
