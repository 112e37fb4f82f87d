package dev.braid.privacy.accountant;

import dev.braid.common.problem.TooManyRequests;

/** 429: the accountant's places are taken; the client should retry after a second. */
final class AccountantBusy extends TooManyRequests {

    private AccountantBusy(String detail) {
        super("accountant-busy", detail, 1);
    }

    static AccountantBusy queueFull(int threads, int queued) {
        return new AccountantBusy("The accountant is busy (" + threads + " computing, " + queued
                + " waiting); try again shortly");
    }

    static AccountantBusy tenantShareFull(int perTenant) {
        return new AccountantBusy("This tenant already has " + perTenant
                + " accountant requests running or waiting, the most one tenant may; try again shortly");
    }
}
