package dev.braid.launcher.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import org.springframework.http.MediaType;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.braid.client.model.TrainingJob;

/**
 * Follows a job's event stream ({@code text/event-stream}) and draws its progress: one bar over
 * the job's epochs, with the last epoch's training loss and validation accuracy. A stream that
 * ends or drops before the job does is reopened after the last event seen ({@code Last-Event-ID});
 * only a few failures in a row end the following.
 */
final class JobFollower {

    private static final Set<String> ENDINGS = Set.of("succeeded", "failed", "cancelled");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Failed reopenings in a row before following gives up (the job itself goes on). */
    private static final int REOPENINGS = 5;

    private final BraidCli root;
    private final PrintWriter err;
    private String lastEventId;
    private String ending;
    private double fraction;
    private String count = "";

    JobFollower(BraidCli root, PrintWriter err) {
        this.root = root;
        this.err = err;
    }

    void follow(TrainingJob job) throws InterruptedException {
        ProgressBar bar = new ProgressBar(err, "training");
        int epochs = job.getProgress().getEpochs();
        bar.show(0, "epoch 0/" + epochs, "queued");
        RestClient gateway = root.rest();
        int failures = 0;
        while (ending == null) {
            try {
                read(gateway, job, bar, epochs);
                failures = 0;
                if (ending == null) {
                    // the stream ended before the job did (a proxy's response timeout on a long job): reopen after the last event
                    Thread.sleep(1000);
                }
            }
            catch (ResourceAccessException | UncheckedIOException ex) {
                if (++failures > REOPENINGS) {
                    bar.done();
                    throw ex;
                }
                Thread.sleep(1000L * failures);
            }
        }
        bar.done();
    }

    private void read(RestClient gateway, TrainingJob job, ProgressBar bar, int epochs) {
        gateway.get().uri("/api/v1/training-jobs/{id}/events", job.getId()).accept(MediaType.TEXT_EVENT_STREAM)
                .headers(h -> {
                    if (lastEventId != null) {
                        h.set("Last-Event-ID", lastEventId);
                    }
                })
                .exchange((request, response) -> {
                    if (response.getStatusCode().isError()) {
                        throw new IllegalStateException("the event stream answered " + response.getStatusCode().value());
                    }
                    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.getBody(), StandardCharsets.UTF_8))) {
                        String event = null;
                        StringBuilder data = new StringBuilder();
                        for (String line = lines.readLine(); line != null && ending == null; line = lines.readLine()) {
                            if (line.isEmpty()) {
                                dispatch(event, data.toString(), bar, epochs);
                                event = null;
                                data.setLength(0);
                            }
                            else if (line.startsWith("event:")) {
                                event = line.substring(6).strip();
                            }
                            else if (line.startsWith("data:")) {
                                data.append(line.substring(5).strip());
                            }
                            else if (line.startsWith("id:")) {
                                lastEventId = line.substring(3).strip();
                            }
                        }
                    }
                    return null;
                });
    }

    private void dispatch(String event, String data, ProgressBar bar, int epochs) {
        if (event == null) {
            return;
        }
        JsonNode payload = data.isEmpty() ? JSON.createObjectNode() : JSON.readTree(data);
        if (event.equals("epoch")) {
            int epoch = payload.path("epoch").asInt();
            fraction = (double) epoch / epochs;
            count = "epoch " + epoch + "/" + epochs;
            // a private job's epochs carry no loss or accuracy: they are statistics of its records
            bar.show(fraction, count, !payload.has("loss") ? "" : String.format(Locale.ROOT, "loss %.4f  val acc %.3f",
                    payload.path("loss").asDouble(), payload.path("validationAccuracy").asDouble()));
        }
        else if (ENDINGS.contains(event)) {
            ending = event;
            bar.show(event.equals("succeeded") ? 1 : fraction, count, Output.safe(event));
        }
        else {
            bar.show(fraction, count, Output.safe(event));
        }
    }
}
