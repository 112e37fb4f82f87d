/**
 * Per-dataset privacy budgets: a ledger of reservations and spending, composed in RDP space,
 * serialised by a row lock. On {@code JdbcClient}: a reservation is a {@code select … for update} of the
 * budget row, then one insert, in one transaction; and the budget's reads (one row and its ledger) do
 * not pay for JPA (about 90 MB and seconds of start-up per service, measured in {@code docs/results.md}).
 */
package dev.braid.privacy.budget;
