package dev.braid.launcher.cli;

import java.util.List;
import java.util.UUID;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import dev.braid.client.api.ModelsApi;
import dev.braid.client.model.Model;
import dev.braid.client.model.ModelPage;

@Command(name = "models", description = "List model versions and deploy one.")
final class ModelsCommand {

    @ParentCommand
    BraidCli root;

    @Command(name = "list", description = "The tenant's model versions, oldest first.")
    void list(@Option(names = "--dataset") UUID dataset, @Option(names = "--page", defaultValue = "0") int page,
            @Option(names = "--size", defaultValue = "50") int size) {
        ModelPage found = new ModelsApi(root.client()).listModels(dataset, page, size);
        Output out = root.output();
        if (!out.asJson(found)) {
            out.table(List.of("ID", "DATASET", "JOB", "FUSED ACC", "DEPLOYED", "CREATED"), found.getItems().stream()
                    .map(m -> List.of(m.getId().toString(), m.getDatasetId().toString(), m.getJobId().toString(),
                            m.getMetrics() == null ? "-" : Output.number(m.getMetrics().getFused().getAccuracy(), 3),
                            Boolean.TRUE.equals(m.getDeployed()) ? "yes" : "no", Output.text(m.getCreatedAt())))
                    .toList());
        }
    }

    @Command(name = "deploy", description = "Serve this model for its dataset's predictions.")
    void deploy(@Parameters(paramLabel = "ID") UUID id) {
        Model model = new ModelsApi(root.client()).deployModel(id);
        Output out = root.output();
        if (!out.asJson(model)) {
            out.out.println("Model " + model.getId() + " now serves dataset " + model.getDatasetId());
        }
    }
}
