package dev.braid.gateway.openapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merges OpenAPI documents into one public document. Paths and schemas are taken as they are;
 * their keys end up sorted, so the same services always give the same bytes.
 */
final class DocumentMerger {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DocumentMerger() {
    }

    /** A document that breaks the merge: one path or schema name claimed twice, differently. */
    static final class ConflictException extends IllegalStateException {

        ConflictException(String message) {
            super(message);
        }
    }

    /**
     * @param parts each service's document, by the name its conflicts are reported under
     * @param publicUrl the URL clients reach the gateway at
     */
    static ObjectNode merge(Map<String, JsonNode> parts, String publicUrl) {
        Map<String, JsonNode> paths = new TreeMap<>();
        Map<String, JsonNode> schemas = new TreeMap<>();
        Map<String, String> pathOwners = new TreeMap<>();
        Map<String, String> tagDescriptions = new TreeMap<>();
        for (Map.Entry<String, JsonNode> part : parts.entrySet()) {
            String owner = part.getKey();
            JsonNode document = part.getValue();
            for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
                String previous = pathOwners.putIfAbsent(path.getKey(), owner);
                if (previous != null) {
                    throw new ConflictException("Path " + path.getKey() + " is documented by both " + previous + " and " + owner);
                }
                paths.put(path.getKey(), path.getValue());
            }
            for (Map.Entry<String, JsonNode> schema : document.path("components").path("schemas").properties()) {
                JsonNode previous = schemas.putIfAbsent(schema.getKey(), schema.getValue());
                if (previous != null && !previous.equals(schema.getValue())) {
                    throw new ConflictException("Schema " + schema.getKey() + " differs between the documents (" + owner + ")");
                }
            }
            for (JsonNode tag : document.path("tags")) {
                String description = tag.path("description").asString("");
                tagDescriptions.merge(tag.path("name").asString(), description, (a, b) -> a.isEmpty() ? b : a);
            }
            for (JsonNode operation : operations(document)) {
                for (JsonNode tag : operation.path("tags")) {
                    tagDescriptions.putIfAbsent(tag.asString(), "");
                }
            }
        }

        ObjectNode merged = NODES.objectNode();
        merged.put("openapi", "3.1.0");
        merged.set("info", info());
        merged.set("servers", NODES.arrayNode().add(NODES.objectNode().put("url", publicUrl).put("description", "The Braid gateway")));
        merged.set("security", NODES.arrayNode().add(NODES.objectNode().set("bearer", NODES.arrayNode())));
        ArrayNode tags = NODES.arrayNode();
        tagDescriptions.forEach((name, description) -> {
            ObjectNode tag = tags.addObject().put("name", name);
            if (!description.isEmpty()) {
                tag.put("description", description);
            }
        });
        merged.set("tags", tags);
        ObjectNode pathNode = merged.putObject("paths");
        paths.forEach((path, item) -> pathNode.set(path, sorted(item)));
        ObjectNode components = merged.putObject("components");
        ObjectNode schemaNode = components.putObject("schemas");
        schemas.forEach((name, schema) -> schemaNode.set(name, sorted(schema)));
        components.putObject("securitySchemes").set("bearer", NODES.objectNode().put("type", "http").put("scheme", "bearer")
                .put("description", "An API key: Authorization: Bearer <key>. Keys are minted by an admin (createApiKey)."));
        return merged;
    }

    private static ObjectNode info() {
        ObjectNode info = NODES.objectNode();
        info.put("title", "Braid API");
        info.put("version", "v1");
        info.put("description", "Labelled text + image datasets in, privately fine-tuned fused classifiers out. Every call goes "
                + "through the gateway with an API key (Authorization: Bearer). Errors are RFC 9457 problems "
                + "(application/problem+json) with a stable type URI; lists are paged with page and size.");
        return info;
    }

    private static List<JsonNode> operations(JsonNode document) {
        List<JsonNode> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (operation.getValue().isObject()) {
                    operations.add(operation.getValue());
                }
            }
        }
        return operations;
    }

    /** The node with every object's keys in order, arrays as they are. */
    static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            Map<String, JsonNode> fields = new TreeMap<>();
            node.properties().forEach(field -> fields.put(field.getKey(), field.getValue()));
            fields.forEach((key, value) -> copy.set(key, sorted(value)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            node.forEach(element -> copy.add(sorted(element)));
            return copy;
        }
        return node;
    }
}
