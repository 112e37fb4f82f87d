/**
 * Per-dataset privacy budgets: a ledger of reservations and spending, composed in RDP space,
 * serialised by a row lock.
 */
package dev.braid.privacy.budget;
