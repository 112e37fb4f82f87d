package dev.braid.common.lifecycle;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a service runs as a child of {@code ./braid up}, it ends itself if its supervisor dies
 * (even by kill -9), so a crashed supervisor never leaves Braid processes behind.
 */
public final class SupervisorWatchdog {

    private static final Logger log = LoggerFactory.getLogger(SupervisorWatchdog.class);

    private SupervisorWatchdog() {
    }

    public static void watch(long supervisorPid) {
        Optional<ProcessHandle> supervisor = ProcessHandle.of(supervisorPid);
        if (supervisor.isEmpty()) {
            log.error("Supervisor process {} is gone; exiting", supervisorPid);
            exitSoon();
            return;
        }
        supervisor.get().onExit().thenRun(() -> {
            log.warn("Supervisor process {} exited; shutting down", supervisorPid);
            exitSoon();
        });
    }

    private static void exitSoon() {
        Thread exit = new Thread(() -> System.exit(0), "supervisor-gone");
        exit.setDaemon(false);
        exit.start();
    }
}
