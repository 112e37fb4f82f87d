package dev.braid.privacy.accountant;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.common.problem.ApiException;
import dev.braid.common.security.CallerContext;
import dev.braid.privacy.PrivacyProperties;

/** The accountant's facade: checks what the math cannot answer, computes, and records each answer for audit. */
@Service
public class AccountantService {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final PrivacyProperties properties;

    AccountantService(JdbcClient jdbc, PrivacyProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    public RdpAccountant.Epsilon epsilon(List<RdpAccountant.Mechanism> mechanisms, double delta, List<Double> orders) {
        if (mechanisms.size() > properties.accountant().maxMechanisms()) {
            throw ApiException.badRequest("too-many-mechanisms",
                    "At most " + properties.accountant().maxMechanisms() + " mechanisms per request, not " + mechanisms.size());
        }
        List<Double> effectiveOrders = orders == null || orders.isEmpty() ? RdpAccountant.DEFAULT_ORDERS : orders;
        if (effectiveOrders.size() > properties.accountant().maxOrders()) {
            throw ApiException.badRequest("too-many-orders",
                    "At most " + properties.accountant().maxOrders() + " orders per request, not " + effectiveOrders.size());
        }
        long series = (long) mechanisms.size() * effectiveOrders.size();
        if (series > properties.accountant().maxSeries()) {
            throw ApiException.badRequest("too-much-work", "At most " + properties.accountant().maxSeries()
                    + " mechanism-order pairs per request (" + mechanisms.size() + " mechanisms × " + effectiveOrders.size()
                    + " orders asked)");
        }
        RdpAccountant.Epsilon result = RdpAccountant.epsilon(mechanisms, delta, effectiveOrders);
        if (Double.isInfinite(result.epsilon()) || Double.isNaN(result.epsilon())) {
            throw ApiException.unprocessable("no-finite-guarantee",
                    "These mechanisms give no finite (ε, δ) guarantee at any of the orders (a noise multiplier of 0 releases data as is)");
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("mechanisms", mechanisms);
        request.put("delta", delta);
        request.put("orders", orders);
        audit(request, result.epsilon(), result.order());
        return result;
    }

    public RdpAccountant.Noise noiseMultiplier(double targetEpsilon, double delta, double q, long steps, double tolerance,
            List<RdpAccountant.Mechanism> alongside) {
        if (alongside.size() + 1 > properties.accountant().maxMechanisms()) {
            throw ApiException.badRequest("too-many-mechanisms",
                    "At most " + (properties.accountant().maxMechanisms() - 1) + " mechanisms alongside the searched one");
        }
        RdpAccountant.Noise noise = RdpAccountant.noiseMultiplier(targetEpsilon, delta, q, steps, tolerance,
                        RdpAccountant.DEFAULT_ORDERS, alongside)
                .orElseThrow(() -> ApiException.unprocessable("budget-too-low",
                        "No noise multiplier up to 10^6 brings ε down to " + targetEpsilon + " for these steps and sampling rate"));
        audit(Map.of("targetEpsilon", targetEpsilon, "delta", delta, "sampleRate", q, "steps", steps, "tolerance", tolerance,
                "alongside", alongside, "noiseMultiplier", noise.noiseMultiplier()), noise.epsilon(), null);
        return noise;
    }

    private void audit(Map<String, Object> request, double epsilon, Double order) {
        jdbc.sql("insert into privacy.accountant_query (tenant_id, request, epsilon, best_order) values (?, ?::jsonb, ?, ?)")
                .params(CallerContext.tenant(), JSON.writeValueAsString(request), epsilon, order)
                .update();
    }
}
