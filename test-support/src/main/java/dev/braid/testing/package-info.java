/**
 * JUnit support, in its own module that every other module uses with test scope, so no
 * production jar carries it: one embedded PostgreSQL per test JVM, a client that calls a service
 * as the gateway would, a fake privacy service, and the shared ArchUnit rules (one of which keeps
 * test support out of production code).
 */
package dev.braid.testing;
