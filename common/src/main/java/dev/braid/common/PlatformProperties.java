package dev.braid.common;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings every Braid service shares ({@code braid.platform.*}; the environment variables named
 * in {@code braid-platform.properties} fill them in).
 *
 * @param internalSecret the secret that signs internal tokens; the same on every service
 * @param internalTokenTtl how long an internal token stays valid
 * @param home the platform's state directory ({@code BRAID_HOME})
 * @param blobRoot where the file-system blob store keeps its objects
 * @param supervisorPid the pid of {@code ./braid up} when it started this process; 0 when none
 */
@ConfigurationProperties("braid.platform")
public record PlatformProperties(
        String internalSecret,
        @DefaultValue("60s") Duration internalTokenTtl,
        @DefaultValue(".braid") Path home,
        Path blobRoot,
        @DefaultValue("0") long supervisorPid) {

    public Path effectiveBlobRoot() {
        return blobRoot != null ? blobRoot : home.resolve("blobs");
    }
}
