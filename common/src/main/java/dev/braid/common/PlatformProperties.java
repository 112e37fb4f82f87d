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
 * @param serviceCalls how calls to other Braid services wait and retry
 */
@ConfigurationProperties("braid.platform")
public record PlatformProperties(
        String internalSecret,
        @DefaultValue("60s") Duration internalTokenTtl,
        @DefaultValue(".braid") Path home,
        Path blobRoot,
        @DefaultValue("0") long supervisorPid,
        @DefaultValue ServiceCalls serviceCalls) {

    /**
     * @param connectTimeout how long to wait for a connection to another service
     * @param readTimeout how long to wait for its response to begin (a body being streamed is not cut by it)
     * @param attempts how many times an idempotent call (GET, PUT, DELETE) is tried when no connection could be made
     * @param backoff the wait before the second try, doubled before each further one
     */
    public record ServiceCalls(@DefaultValue("2s") Duration connectTimeout, @DefaultValue("30s") Duration readTimeout,
            @DefaultValue("3") int attempts, @DefaultValue("200ms") Duration backoff) {
    }

    public Path effectiveBlobRoot() {
        return blobRoot != null ? blobRoot : home.resolve("blobs");
    }
}
