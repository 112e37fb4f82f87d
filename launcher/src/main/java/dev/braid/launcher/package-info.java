/**
 * {@code ./braid}: the local platform. Starts an embedded PostgreSQL (unless
 * {@code BRAID_DATABASE_URL} points at one) and the five services as child processes, waits for
 * their health, supervises them like a container runtime (a child that dies is restarted with
 * backoff) and stops everything cleanly on Ctrl-C or {@code ./braid down}.
 */
package dev.braid.launcher;
