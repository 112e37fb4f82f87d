/**
 * What every service adds to its OpenAPI document so that the gateway's combined document is
 * one a client generator can use as it is: the RFC 9457 {@code Problem} schema, the error
 * statuses each operation can answer with (declared on the handler with {@link Problems}, plus
 * those every call through the gateway can meet), and {@code Retry-After} where a client should
 * wait. Only {@code /api/v1/**} is documented; {@code /internal/**} never is.
 */
package dev.braid.common.openapi;
