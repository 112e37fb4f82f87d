package dev.braid.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Every GPU the PyTorch engine sees, the CPU otherwise; nothing requires a GPU. */
final class Devices {

    static final String ENGINE = "PyTorch";

    private Devices() {
    }

    static Device preferred() {
        return Engine.getEngine(ENGINE).getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }
}
