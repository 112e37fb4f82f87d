/**
 * API keys: stored as hashes, looked up with a short cache, bootstrapped at first start, managed
 * by admins, required on every non-public request.
 */
package dev.braid.gateway.apikey;
