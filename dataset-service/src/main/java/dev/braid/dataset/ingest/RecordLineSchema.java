package dev.braid.dataset.ingest;

import io.swagger.v3.core.converter.ModelConverters;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/** Puts {@link RecordIngestController.RecordLine} in the document's schemas, though no operation names it. */
@Component
class RecordLineSchema implements OpenApiCustomizer {

    @Override
    public void customise(io.swagger.v3.oas.models.OpenAPI openApi) {
        ModelConverters.getInstance(true).read(RecordIngestController.RecordLine.class)
                .forEach((name, schema) -> openApi.getComponents().addSchemas(name, schema));
    }
}
