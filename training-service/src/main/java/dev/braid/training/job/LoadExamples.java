package dev.braid.training.job;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.springframework.stereotype.Component;

import dev.braid.common.image.ImageProbe;
import dev.braid.common.internalapi.DatasetRecordsApi.DatasetSummary;
import dev.braid.model.Example;
import dev.braid.training.remote.DatasetClient;

/**
 * The pipeline's first stage: the job's dataset and its records as training examples, converted as they stream in.
 * Each image is decoded and at once scaled to the network's input size, so a job holds about 16 KB per image
 * whatever size the originals are.
 */
@Component
class LoadExamples {

    private final DatasetClient datasets;

    LoadExamples(DatasetClient datasets) {
        this.datasets = datasets;
    }

    /** The dataset as the dataset service describes it, and its records as examples in its label order. */
    record Loaded(DatasetSummary dataset, List<Example> examples) {
    }

    Loaded load(TrainingJob job) {
        DatasetSummary dataset = datasets.dataset(job.datasetId());
        List<Example> examples = new ArrayList<>();
        datasets.records(job.datasetId(), r -> {
            int label = dataset.labels().indexOf(r.label());
            String text = r.text() == null || r.text().isBlank() ? null : r.text();
            BufferedImage image = r.imageBase64() == null ? null : image(r.imageBase64());
            if (label >= 0 && (text != null || image != null)) {
                examples.add(new Example(text, image, label, Example.Split.valueOf(r.split().toUpperCase(Locale.ROOT))));
            }
        });
        return new Loaded(dataset, examples);
    }

    private static BufferedImage image(String base64) {
        try {
            BufferedImage original = ImageIO.read(ImageProbe.inMemory(Base64.getDecoder().decode(base64)));
            return original == null ? null : Example.scaled(original);
        }
        catch (IOException ex) {
            return null; // checked at ingestion; a record whose image no longer decodes trains on its text
        }
    }
}
