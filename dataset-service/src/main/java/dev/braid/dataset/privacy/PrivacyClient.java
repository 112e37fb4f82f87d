package dev.braid.dataset.privacy;

import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.braid.common.crypto.DataKeys;
import dev.braid.common.internalapi.BudgetLedgerApi;
import dev.braid.common.internalapi.DataKeysApi;
import dev.braid.common.problem.ServiceUnavailable;

/** The privacy service (keys and budgets), called as the current caller's tenant. */
@Component
public class PrivacyClient {

    private final DataKeysApi dataKeys;
    private final BudgetLedgerApi budgets;
    private final DataKeys keys;

    PrivacyClient(DataKeysApi dataKeys, BudgetLedgerApi budgets) {
        this.dataKeys = dataKeys;
        this.budgets = budgets;
        this.keys = new DataKeys(dataKeys);
    }

    /** Opens the dataset's privacy budget ledger; idempotent for the same budget. */
    public void registerBudget(UUID datasetId, double epsilonBudget, double delta) {
        call(() -> {
            budgets.register(new BudgetLedgerApi.BudgetRegistration(datasetId, epsilonBudget, delta));
            return null;
        });
    }

    /** Creates the dataset's data key; this service never keeps it, it asks for it when it needs it. */
    public void createDataKey(UUID datasetId) {
        call(() -> dataKeys.create(datasetId));
    }

    /** The plaintext data key; the caller must keep it in memory only, and only for as long as it needs it. */
    public byte[] dataKey(UUID datasetId) {
        return keys.unwrap(datasetId);
    }

    /** Crypto-shredding: after this, the dataset's ciphertext can never be decrypted. Idempotent. */
    public void destroyDataKey(UUID datasetId) {
        call(() -> {
            dataKeys.destroy(datasetId);
            return null;
        });
    }

    private static <T> T call(java.util.function.Supplier<T> request) {
        return ServiceUnavailable.whenUnreachable("privacy service", request);
    }
}
