package dev.braid.launcher.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import dev.braid.client.api.PredictionsApi;
import dev.braid.client.model.ModalityPrediction;
import dev.braid.client.model.Prediction;
import dev.braid.client.model.PredictionRequest;

@Command(name = "predict", description = "Classify a text, an image, or both.")
final class PredictCommand implements java.util.concurrent.Callable<Integer> {

    @ParentCommand
    BraidCli root;

    static final class Target {
        @Option(names = "--model", required = true, description = "A model version.")
        UUID model;

        @Option(names = "--dataset", required = true, description = "A dataset: its deployed model answers.")
        UUID dataset;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--text", description = "The text.")
    String text;

    @Option(names = "--image", description = "A PNG or JPEG file.")
    Path image;

    @Override
    public Integer call() throws IOException {
        if (text == null && image == null) {
            throw new picocli.CommandLine.ParameterException(root.spec.commandLine().getSubcommands().get("predict"),
                    "Give --text, --image or both");
        }
        PredictionRequest request = new PredictionRequest().modelId(target.model).datasetId(target.dataset).text(text)
                .imageBase64(image == null ? null : Files.readAllBytes(image));
        Prediction prediction = new PredictionsApi(root.client()).predict(request);
        Output out = root.output();
        if (out.asJson(prediction)) {
            return 0;
        }
        out.out.println(Output.safe(prediction.getLabel()) + "  (" + Output.number(prediction.getProbabilities().get(prediction.getLabel()), 3)
                + ", model " + prediction.getModelId() + ")");
        List<String> labels = prediction.getProbabilities().entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())).map(Map.Entry::getKey).toList();
        ModalityPrediction byText = prediction.getModalities() == null ? null : prediction.getModalities().getText();
        ModalityPrediction byImage = prediction.getModalities() == null ? null : prediction.getModalities().getImage();
        out.table(List.of("LABEL", "FUSED", "TEXT", "IMAGE"), labels.stream()
                .map(label -> List.of(label, Output.number(prediction.getProbabilities().get(label), 3), probability(byText, label),
                        probability(byImage, label)))
                .toList());
        out.out.println("alpha (image weight) " + Output.number(prediction.getAlpha(), 3));
        return 0;
    }

    private static String probability(ModalityPrediction part, String label) {
        return part == null ? "-" : Output.number(part.getProbabilities().get(label), 3);
    }
}
