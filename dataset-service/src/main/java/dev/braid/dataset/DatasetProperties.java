package dev.braid.dataset;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits and tuning of ingestion ({@code braid.dataset.*}).
 *
 * @param maxTextLength the longest text a record may carry, in characters
 * @param maxImageSize the largest image file a record may carry
 * @param maxImagePixels the largest width × height an image may declare in its header
 * @param maxRecordLine the longest NDJSON line (a record with its base64 image)
 * @param batchSize records written per database batch (at most)
 * @param batchBytes bytes of records written per database batch (at most), so memory stays flat
 * @param maxReportedRejections rejected records (and refused or duplicate archive entries) an upload's
 *        answer lists, the first by line; the answer counts all of them
 * @param abandonedUploadAfter how long an upload's row may go unmarked before it is taken as dead and swept
 *        with its records and blobs (a live upload's heartbeat marks it six times in that span)
 * @param sweepInterval how often the sweep looks for abandoned uploads and deleted datasets' blobs
 * @param ingest how uploads are written
 * @param archive limits that stop a zip bomb
 * @param services where the services this one calls listen
 */
@Validated
@ConfigurationProperties("braid.dataset")
public record DatasetProperties(
        @DefaultValue("20000") @Min(1) int maxTextLength,
        @DefaultValue("10MB") DataSize maxImageSize,
        @DefaultValue("16777216") @Min(1) long maxImagePixels,
        @DefaultValue("16MB") DataSize maxRecordLine,
        @DefaultValue("500") @Min(1) int batchSize,
        @DefaultValue("16MB") DataSize batchBytes,
        @DefaultValue("1000") @Min(1) int maxReportedRejections,
        @DefaultValue("10m") java.time.Duration abandonedUploadAfter,
        @DefaultValue("1m") java.time.Duration sweepInterval,
        @jakarta.validation.Valid @DefaultValue Ingest ingest,
        @jakarta.validation.Valid @DefaultValue Archive archive,
        @jakarta.validation.Valid @jakarta.validation.constraints.NotNull Services services) {

    /**
     * @param maxUncompressed total bytes an archive may expand to
     * @param maxRatio how many times larger than its compressed size an archive may expand (checked once past 1 MB)
     * @param maxEntries entries an archive (or parts a multipart body) may hold
     * @param maxWaiting what one upload may hold in memory between entries: manifest records waiting for an
     *        image that comes later in the archive, and the paths it has seen (413 past it)
     * @param maxHeldTotal what all uploads together may hold so (503 with Retry-After past it): with the
     *        512 MB heap {@code ./braid up} gives the service, a third of it
     * @param maxImageWriteRatio how many times the image bytes it carries an upload may write: each record
     *        stores its own sealed copy of its image, so an image named by many records is written many times
     * @param imageWriteAllowance image bytes an upload may always write beyond that ratio (a small dataset
     *        whose records share one picture)
     */
    public record Archive(@DefaultValue("8GB") DataSize maxUncompressed, @DefaultValue("100") @Min(1) int maxRatio,
            @DefaultValue("1000000") @Min(1) int maxEntries, @DefaultValue("64MB") DataSize maxWaiting,
            @DefaultValue("160MB") DataSize maxHeldTotal, @DefaultValue("8") @Min(1) int maxImageWriteRatio,
            @DefaultValue("64MB") DataSize imageWriteAllowance) {
    }

    /**
     * @param writers threads that seal records and write their images, shared by all uploads; more than the cores,
     *        since a write to an S3-compatible store mostly waits on the network
     * @param maxInFlight bytes of records one upload may hold between reading and sealing them
     */
    public record Ingest(@DefaultValue("8") @Min(1) int writers, @DefaultValue("64MB") DataSize maxInFlight) {
    }

    /**
     * @param privacy keys and budgets
     * @param training told to cancel a deleted dataset's jobs and drop their checkpoints
     * @param inference told to revoke a deleted dataset's models
     */
    public record Services(@jakarta.validation.constraints.NotBlank String privacy,
            @jakarta.validation.constraints.NotBlank String training, @jakarta.validation.constraints.NotBlank String inference) {
    }
}
