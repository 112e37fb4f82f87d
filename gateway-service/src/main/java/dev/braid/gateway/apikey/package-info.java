/**
 * API keys: stored as hashes, looked up with a short cache, bootstrapped at first start, managed
 * by admins, required on every non-public request. The gateway is reactive, so keys stay off JPA: a
 * lookup is one {@code JdbcClient} query run on Reactor's bounded elastic scheduler, never on the
 * event loop, and cached.
 */
package dev.braid.gateway.apikey;
