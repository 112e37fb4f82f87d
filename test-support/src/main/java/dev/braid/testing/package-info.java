/**
 * JUnit support: one embedded PostgreSQL per test JVM, a client that calls a service as the
 * gateway would, and the shared ArchUnit rules.
 */
package dev.braid.common.testing;
