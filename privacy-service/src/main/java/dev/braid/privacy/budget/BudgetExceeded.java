package dev.braid.privacy.budget;

import java.util.Locale;

import org.springframework.http.HttpStatus;

import dev.braid.common.problem.ApiException;

/** 409: the job's planned ε does not fit what is left of the dataset's budget. */
final class BudgetExceeded extends ApiException {

    private BudgetExceeded(String detail) {
        super(HttpStatus.CONFLICT, "privacy-budget-exceeded", detail);
    }

    static BudgetExceeded of(double planned, double remaining) {
        return new BudgetExceeded(String.format(Locale.ROOT,
                "The job's planned ε of %.4f does not fit the dataset's remaining ε of %.4f", planned, Math.max(0, remaining)));
    }
}
