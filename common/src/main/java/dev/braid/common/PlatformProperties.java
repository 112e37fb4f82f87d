package dev.braid.common;

import java.net.URI;
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
 * @param blobStore where blobs are kept: {@code filesystem} (the default: {@code blobRoot}, local or a shared volume)
 *        or {@code s3} (an S3-compatible bucket, {@code s3}), the option for more than one machine
 * @param blobRoot where the file-system blob store keeps its objects
 * @param s3 the bucket of the S3 blob store
 * @param supervisorPid the pid of {@code ./braid up} when it started this process; 0 when none
 * @param serviceCalls how calls to other Braid services wait and retry
 */
@ConfigurationProperties("braid.platform")
public record PlatformProperties(
        String internalSecret,
        @DefaultValue("60s") Duration internalTokenTtl,
        @DefaultValue(".braid") Path home,
        @DefaultValue("filesystem") String blobStore,
        Path blobRoot,
        @DefaultValue S3 s3,
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

    /**
     * @param endpoint the server's URL ({@code http://minio:9000}); empty for AWS S3 in {@code region}
     * @param region the signing region; MinIO and Ceph accept any
     * @param pathStyle whether the bucket goes in the path rather than the host name (MinIO and Ceph need it)
     * @param bucket the bucket
     * @param prefix a key prefix inside the bucket, so that one bucket can hold several installations
     * @param createBucket whether the service creates the bucket when it is missing (compose does; in production
     *        the bucket, its encryption and its lifecycle rules are the operator's)
     */
    public record S3(URI endpoint, @DefaultValue("us-east-1") String region, @DefaultValue("true") boolean pathStyle,
            String bucket, @DefaultValue("") String prefix, @DefaultValue("false") boolean createBucket) {
    }

    public Path effectiveBlobRoot() {
        return blobRoot != null ? blobRoot : home.resolve("blobs");
    }
}
