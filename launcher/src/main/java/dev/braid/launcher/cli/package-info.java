/**
 * {@code ./braid datasets | jobs | models | predict}: the API from a terminal, through the client
 * generated from {@code api/openapi.json}. Tables for people, {@code --json} for scripts, a
 * problem's {@code detail} on failure, and exit codes a script can switch on
 * ({@link BraidCli#API_ERROR}, {@link BraidCli#UNREACHABLE}, picocli's 2 for bad usage).
 */
package dev.braid.launcher.cli;
