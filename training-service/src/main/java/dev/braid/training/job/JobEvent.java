package dev.braid.training.job;

/** One row of {@code training.job_event}: its id (the SSE event id), type and JSON data. */
public record JobEvent(long id, String type, String data) {
}
