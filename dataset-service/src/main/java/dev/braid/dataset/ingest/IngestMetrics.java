package dev.braid.dataset.ingest;

import java.io.IOException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * Ingestion's meters, scraped from the management port: uploads by format and outcome with their duration, and
 * records accepted, dropped as duplicates or rejected. An upload that fails as a whole (unreadable, too large)
 * counts as {@code outcome=failed} and adds no records.
 */
@Component
class IngestMetrics {

    private final MeterRegistry meters;

    IngestMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    interface Upload {
        IngestReport run() throws IOException;
    }

    IngestReport measure(String format, Upload upload) throws IOException {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "failed";
        try {
            IngestReport report = upload.run();
            outcome = "stored";
            records(format, "accepted").increment(report.accepted());
            records(format, "duplicate").increment(report.duplicates());
            records(format, "rejected").increment(report.rejectedCount());
            return report;
        }
        finally {
            sample.stop(Timer.builder("braid.ingest.uploads").description("uploads of records, by format and outcome")
                    .tag("format", format).tag("outcome", outcome).register(meters));
        }
    }

    private Counter records(String format, String outcome) {
        return Counter.builder("braid.ingest.records").description("records of uploads, by what became of them")
                .tag("format", format).tag("outcome", outcome).register(meters);
    }
}
