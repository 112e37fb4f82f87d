package dev.braid.launcher;

import java.nio.file.Path;
import java.util.Map;

/** One service to run: its module name, jar, port, heap and the environment it gets beyond the platform's. */
record ServiceSpec(String name, Path jar, int port, String maxHeap, Map<String, String> environment) {

    String healthUrl() {
        return "http://127.0.0.1:" + port + "/actuator/health";
    }
}
