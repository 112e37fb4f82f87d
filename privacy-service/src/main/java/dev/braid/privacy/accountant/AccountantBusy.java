package dev.braid.privacy.accountant;

import org.springframework.http.HttpStatus;

import dev.braid.common.problem.ApiException;

/** 429: the accountant's threads are busy and its queue is full; the client should retry after a second. */
final class AccountantBusy extends ApiException {

    private AccountantBusy(String detail) {
        super(HttpStatus.TOO_MANY_REQUESTS, "accountant-busy", detail);
    }

    static AccountantBusy queueFull(int threads, int queued) {
        return new AccountantBusy("The accountant is busy (" + threads + " computing, " + queued
                + " waiting); try again shortly");
    }

    @Override
    public long retryAfterSeconds() {
        return 1;
    }
}
