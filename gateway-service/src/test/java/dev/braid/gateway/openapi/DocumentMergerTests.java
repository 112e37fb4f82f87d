package dev.braid.gateway.openapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocumentMergerTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode document(String json) {
        return JSON.readTree(json.replace('\'', '"'));
    }

    private static final JsonNode DATASETS = document("""
            {'openapi':'3.1.0','servers':[{'url':'http://localhost:8081'}],'tags':[{'name':'Datasets','description':'Data'}],
             'paths':{'/api/v1/datasets':{'post':{'operationId':'createDataset','tags':['Datasets'],
                 'responses':{'201':{'description':'Created'}}}}},
             'components':{'schemas':{'Problem':{'type':'object'},'Dataset':{'type':'object','properties':{'name':{'type':'string'},'id':{'type':'string'}}}}}}""");
    private static final JsonNode MODELS = document("""
            {'openapi':'3.1.0','paths':{'/api/v1/models':{'get':{'operationId':'listModels','tags':['Models'],'responses':{}}}},
             'components':{'schemas':{'Problem':{'type':'object'},'Model':{'type':'object'}}}}""");

    private static Map<String, JsonNode> parts(Object... nameAndDocument) {
        Map<String, JsonNode> parts = new LinkedHashMap<>();
        for (int i = 0; i < nameAndDocument.length; i += 2) {
            parts.put((String) nameAndDocument[i], (JsonNode) nameAndDocument[i + 1]);
        }
        return parts;
    }

    @Test
    void shouldJoinPathsSchemasAndTagsUnderTheGatewaysServerAndABearerScheme() {
        JsonNode merged = DocumentMerger.merge(parts("dataset service", DATASETS, "inference service", MODELS), "https://braid.example");

        assertThat(merged.path("paths").propertyNames()).containsExactly("/api/v1/datasets", "/api/v1/models");
        assertThat(merged.path("components").path("schemas").propertyNames()).containsExactly("Dataset", "Model", "Problem");
        assertThat(merged.path("servers")).hasSize(1);
        assertThat(merged.path("servers").get(0).path("url").stringValue()).isEqualTo("https://braid.example");
        assertThat(merged.path("components").path("securitySchemes").path("bearer").path("scheme").stringValue()).isEqualTo("bearer");
        assertThat(merged.path("security").get(0).has("bearer")).isTrue();
        // a tag an operation uses is listed even when its service gave it no description
        assertThat(merged.path("tags").valueStream().map(t -> t.path("name").stringValue()).toList()).isEqualTo(List.of("Datasets", "Models"));
        assertThat(merged.path("tags").get(0).path("description").stringValue()).isEqualTo("Data");
        assertThat(merged.path("components").path("schemas").path("Dataset").path("properties").propertyNames())
                .as("keys sorted, so the same services give the same bytes").containsExactly("id", "name");
    }

    @Test
    void shouldRefuseAPathDocumentedTwiceOrASchemaNameUsedForTwoShapes() {
        assertThatThrownBy(() -> DocumentMerger.merge(parts("dataset service", DATASETS, "training service", DATASETS), "http://x"))
                .isInstanceOf(DocumentMerger.ConflictException.class).hasMessageContaining("/api/v1/datasets")
                .hasMessageContaining("dataset service").hasMessageContaining("training service");

        JsonNode otherDataset = document("""
                {'paths':{},'components':{'schemas':{'Dataset':{'type':'string'}}}}""");
        assertThatThrownBy(() -> DocumentMerger.merge(parts("dataset service", DATASETS, "privacy service", otherDataset), "http://x"))
                .isInstanceOf(DocumentMerger.ConflictException.class).hasMessageContaining("Dataset");
    }
}
