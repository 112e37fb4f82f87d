package dev.braid.launcher.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import dev.braid.client.api.TrainingJobsApi;
import dev.braid.client.model.BranchMetrics;
import dev.braid.client.model.JobMetrics;
import dev.braid.client.model.JobPrivacyRequest;
import dev.braid.client.model.SubmitTrainingJobRequest;
import dev.braid.client.model.TrainingJob;
import dev.braid.client.model.TrainingJobPage;

@Command(name = "jobs", description = "Submit, follow, list and cancel training jobs.")
final class JobsCommand {

    @ParentCommand
    BraidCli root;

    @Command(name = "submit", description = "Queue a training job. Every option but --dataset may be left to the trainer.")
    int submit(@Option(names = "--dataset", required = true, description = "The dataset to train on.") UUID dataset,
            @Option(names = "--epochs", description = "The most epochs to run.") Integer epochs,
            @Option(names = "--batch-size") Integer batchSize,
            @Option(names = "--learning-rate", description = "One rate for both branches.") Double learningRate,
            @Option(names = "--seed") Long seed,
            @Option(names = "--modalities", split = ",", description = "text and/or image.") List<String> modalities,
            @Option(names = "--fine-tune-text", arity = "1", description = "true fine-tunes the text encoder, false keeps it frozen.")
            Boolean fineTuneText,
            @Option(names = "--target-epsilon", description = "Train with DP-SGD, spending at most this ε.") Double targetEpsilon,
            @Option(names = "--noise-multiplier", description = "Train with DP-SGD at this σ.") Double noiseMultiplier,
            @Option(names = "--wait", description = "Follow the job with a progress bar, then print its metrics.") boolean wait)
            throws InterruptedException {
        SubmitTrainingJobRequest request = new SubmitTrainingJobRequest().datasetId(dataset).epochs(epochs).batchSize(batchSize)
                .learningRate(learningRate).seed(seed).modalities(modalities).fineTuneText(fineTuneText);
        if (targetEpsilon != null || noiseMultiplier != null) {
            request.privacy(new JobPrivacyRequest().targetEpsilon(targetEpsilon).noiseMultiplier(noiseMultiplier));
        }
        TrainingJobsApi jobs = new TrainingJobsApi(root.client());
        TrainingJob job = jobs.submitTrainingJob(request);
        Output out = root.output();
        if (!wait) {
            if (!out.asJson(job)) {
                out.out.println("Queued job " + job.getId() + (job.getPrivacy() == null ? ""
                        : String.format(java.util.Locale.ROOT, " (ε %.3f reserved)", job.getPrivacy().getEpsilon())));
            }
            return 0;
        }
        out.err.println("Job " + job.getId() + " queued; following it (Ctrl-C stops following, not the job)");
        new JobFollower(root, out.err).follow(job);
        TrainingJob ended = jobs.getTrainingJob(job.getId());
        if (!out.asJson(ended)) {
            print(out, ended);
        }
        return ended.getStatus() == TrainingJob.StatusEnum.SUCCEEDED ? 0 : BraidCli.API_ERROR;
    }

    @Command(name = "get", description = "A job's state, progress and metrics.")
    void get(@Parameters(paramLabel = "ID") UUID id) {
        TrainingJob job = new TrainingJobsApi(root.client()).getTrainingJob(id);
        Output out = root.output();
        if (!out.asJson(job)) {
            print(out, job);
        }
    }

    @Command(name = "list", description = "The tenant's jobs, oldest first.")
    void list(@Option(names = "--dataset") UUID dataset, @Option(names = "--page", defaultValue = "0") int page,
            @Option(names = "--size", defaultValue = "50") int size) {
        TrainingJobPage found = new TrainingJobsApi(root.client()).listTrainingJobs(dataset, page, size);
        Output out = root.output();
        if (!out.asJson(found)) {
            out.table(List.of("ID", "DATASET", "STATUS", "EPOCH", "FUSED ACC", "MODEL"), found.getItems().stream()
                    .map(j -> List.of(j.getId().toString(), j.getDatasetId().toString(), j.getStatus().getValue(),
                            j.getProgress().getEpoch() + "/" + j.getProgress().getEpochs(),
                            j.getMetrics() == null ? "-" : Output.number(j.getMetrics().getFused().getAccuracy(), 3),
                            Output.text(j.getModelId())))
                    .toList());
        }
    }

    @Command(name = "cancel", description = "Ask a job to stop.")
    void cancel(@Parameters(paramLabel = "ID") UUID id) {
        TrainingJob job = new TrainingJobsApi(root.client()).cancelTrainingJob(id);
        Output out = root.output();
        if (!out.asJson(job)) {
            out.out.println("Job " + job.getId() + ": " + job.getStatus().getValue() + " (cancel requested)");
        }
    }

    /** The job's state and, once it has metrics, the table of its branches on the test split. */
    static void print(Output out, TrainingJob job) {
        out.out.println("Job " + job.getId() + ": " + job.getStatus().getValue() + (job.getModelId() == null ? ""
                : ", model " + job.getModelId()) + (job.getError() == null ? "" : " (" + Output.safe(job.getError()) + ")"));
        JobMetrics metrics = job.getMetrics();
        if (metrics == null) {
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        row(rows, "text", metrics.getText());
        row(rows, "image", metrics.getImage());
        row(rows, "fused", metrics.getFused());
        out.table(List.of("BRANCH", "ACCURACY", "95% INTERVAL", "MACRO-F1", "TEST RECORDS"), rows);
        out.out.println("alpha (image weight) " + Output.number(metrics.getAlpha(), 3) + ", epochs run "
                + metrics.getTraining().getEpochs());
        if (job.getPrivacy() != null) {
            out.out.println(String.format(java.util.Locale.ROOT, "privacy: ε %.3f at δ %.0e (%s)", job.getPrivacy().getEpsilon(),
                    job.getPrivacy().getDelta(), job.getPrivacy().getState().getValue()));
        }
    }

    private static void row(List<List<String>> rows, String name, BranchMetrics m) {
        if (m == null || m.getExamples() == null || m.getExamples() == 0) {
            return;
        }
        List<Double> interval = m.getAccuracyInterval95();
        rows.add(List.of(name, Output.number(m.getAccuracy(), 3),
                interval == null ? "-" : Output.number(interval.get(0), 3) + "-" + Output.number(interval.get(1), 3),
                Output.number(m.getMacroF1(), 3), m.getExamples() + (m.getCountNoise() == null ? ""
                        : String.format(java.util.Locale.ROOT, " (noisy: counts ±%.1f)", m.getCountNoise()))));
    }
}
