/**
 * What every Braid service needs and nothing more: RFC 9457 problem responses
 * ({@code problem}), the signed internal token that carries the caller from the gateway to a
 * service ({@code security}), request ids and service-to-service clients ({@code web}), the blob
 * store ({@code blob}), supervision by {@code ./braid up} ({@code lifecycle}) and JUnit support
 * that starts one embedded PostgreSQL per test JVM ({@code testing}).
 */
package dev.braid.common;
