package dev.braid.launcher.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.springframework.core.io.AbstractResource;
import org.springframework.http.MediaType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import dev.braid.client.api.DatasetsApi;
import dev.braid.client.model.CreateDatasetRequest;
import dev.braid.client.model.Dataset;
import dev.braid.client.model.DatasetPage;
import dev.braid.client.model.DatasetPrivacy;
import dev.braid.client.model.IngestReport;

@Command(name = "datasets", description = "Create, list, show and fill datasets.")
final class DatasetsCommand {

    @ParentCommand
    BraidCli root;

    @Command(name = "create", description = "Create a dataset with its labels (and, for DP-only training, a privacy budget).")
    void create(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--labels", required = true, split = ",", description = "The labels, comma-separated.") List<String> labels,
            @Option(names = "--epsilon-budget", description = "Every job must then be DP and is charged to this ε.") Double epsilon,
            @Option(names = "--delta", defaultValue = "1e-5", description = "The budget's δ (default: ${DEFAULT-VALUE}).") double delta) {
        CreateDatasetRequest request = new CreateDatasetRequest().name(name).labels(labels);
        if (epsilon != null) {
            request.privacy(new DatasetPrivacy().epsilonBudget(epsilon).delta(delta));
        }
        Dataset created = new DatasetsApi(root.client()).createDataset(request);
        Output out = root.output();
        if (!out.asJson(created)) {
            out.out.println("Created dataset " + created.getId() + " (" + Output.safe(created.getName()) + ", labels "
                    + Output.safe(String.join(", ", created.getLabels())) + ")");
        }
    }

    @Command(name = "list", description = "The tenant's datasets.")
    void list(@Option(names = "--page", defaultValue = "0") int page, @Option(names = "--size", defaultValue = "50") int size) {
        DatasetPage found = new DatasetsApi(root.client()).listDatasets(page, size);
        Output out = root.output();
        if (!out.asJson(found)) {
            out.table(List.of("ID", "NAME", "RECORDS", "LABELS", "PRIVATE"), found.getItems().stream()
                    .map(d -> List.of(d.getId().toString(), d.getName(), Output.text(d.getRecordCount()), String.valueOf(d.getLabels().size()),
                            d.getPrivacy() == null ? "no" : "ε " + d.getPrivacy().getEpsilonBudget()))
                    .toList());
            out.out.println(found.getTotal() + " in all");
        }
    }

    @Command(name = "get", description = "A dataset with its records per split and label.")
    void get(@Parameters(paramLabel = "ID") UUID id) {
        Dataset dataset = new DatasetsApi(root.client()).getDataset(id);
        Output out = root.output();
        if (!out.asJson(dataset)) {
            out.out.println(Output.safe(dataset.getName()) + " (" + dataset.getId() + "): " + dataset.getRecordCount() + " records");
            out.table(List.of("LABEL", "TRAIN", "VALIDATION", "TEST"), dataset.getLabels().stream()
                    .map(label -> List.of(label, count(dataset, "train", label), count(dataset, "validation", label),
                            count(dataset, "test", label)))
                    .toList());
        }
    }

    private static String count(Dataset dataset, String split, String label) {
        var counts = dataset.getSplits() == null ? null : dataset.getSplits().get(split);
        return String.valueOf(counts == null ? 0 : counts.getOrDefault(label, 0L));
    }

    @Command(name = "upload", description = "Add records from a file: .zip (manifest.jsonl and images) or .ndjson/.jsonl.")
    void upload(@Parameters(paramLabel = "ID") UUID id, @Parameters(paramLabel = "FILE") Path file) throws IOException {
        MediaType type = mediaType(file);
        long size = Files.size(file);
        Output out = root.output();
        ProgressBar bar = new ProgressBar(out.err, "uploading " + file.getFileName());
        CountedFile body = new CountedFile(file, sent -> bar.show(size == 0 ? 1 : (double) sent / size, mb(sent) + "/" + mb(size),
                ""));
        IngestReport report;
        if (MediaType.APPLICATION_NDJSON.equals(type)) {
            report = new DatasetsApi(root.client()).uploadRecords(id, body);
        }
        else {
            // the generated method sends the document's first media type (NDJSON); an archive goes with its own
            report = root.rest().post().uri("/api/v1/datasets/{id}/records", id).contentType(type).body(body).retrieve()
                    .body(IngestReport.class);
        }
        bar.done();
        if (!out.asJson(report)) {
            out.out.println("accepted " + report.getAccepted() + ", duplicates " + report.getDuplicates() + ", rejected "
                    + report.getRejectedCount());
            report.getRejected().forEach(r -> out.out.println("  line " + r.getLine()
                    + (r.getId() == null ? "" : " (" + Output.safe(r.getId()) + ")") + ": " + Output.safe(r.getReason())));
        }
    }

    static MediaType mediaType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".zip")) {
            return MediaType.parseMediaType("application/zip");
        }
        if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) {
            return MediaType.APPLICATION_NDJSON;
        }
        throw new IllegalArgumentException("Upload a .zip (manifest.jsonl and images) or an .ndjson/.jsonl file, not " + file);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** The file as the request body, reporting each chunk as it is read onto the wire. */
    static final class CountedFile extends AbstractResource {

        private final Path file;
        private final java.util.function.LongConsumer progress;

        CountedFile(Path file, java.util.function.LongConsumer progress) {
            this.file = file;
            this.progress = progress;
        }

        @Override
        public String getDescription() {
            return "file " + file;
        }

        @Override
        public String getFilename() {
            return file.getFileName().toString();
        }

        @Override
        public long contentLength() throws IOException {
            return Files.size(file);
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return new FilterInputStream(Files.newInputStream(file)) {
                private long sent;

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        sent += n;
                        progress.accept(sent);
                    }
                    return n;
                }
            };
        }
    }
}
