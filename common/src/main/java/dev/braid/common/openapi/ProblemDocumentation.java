package dev.braid.common.openapi;

import java.util.Map;
import java.util.TreeSet;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springframework.web.method.HandlerMethod;

import dev.braid.common.problem.ProblemTypes;

/**
 * Adds the {@code Problem} schema and each operation's problem responses to a service's
 * document. Every operation gets 400 (unreadable or invalid request), 401 (no or bad key, from the
 * gateway), 429 (rate limit or a full queue, with {@code Retry-After}) and 503 (not ready, with
 * {@code Retry-After}); {@link Problems} on the handler adds the statuses particular to it.
 */
public class ProblemDocumentation implements GlobalOperationCustomizer, GlobalOpenApiCustomizer {

    public static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final int[] EVERY_OPERATION = {400, 401, 429, 503};
    private static final Map<Integer, String> MEANING = Map.ofEntries(
            Map.entry(400, "The request is malformed or breaks a field's constraint"),
            Map.entry(401, "No API key, or one the gateway does not know"),
            Map.entry(403, "The key's role or tenant may not do this"),
            Map.entry(404, "No such resource in the caller's tenant"),
            Map.entry(409, "The request conflicts with the resource's state (for example the privacy budget)"),
            Map.entry(413, "The body is larger than the gateway accepts"),
            Map.entry(415, "The body's media type is not one this operation reads"),
            Map.entry(422, "Valid JSON that breaks a rule; the detail says which"),
            Map.entry(429, "The key's rate limit or a full queue; retry after the given seconds"),
            Map.entry(503, "A service this call needs is not ready; retry after the given seconds"));

    @Override
    public Operation customize(Operation operation, HandlerMethod handlerMethod) {
        TreeSet<Integer> statuses = new TreeSet<>();
        for (int status : EVERY_OPERATION) {
            statuses.add(status);
        }
        Problems declared = handlerMethod.getMethodAnnotation(Problems.class);
        if (declared != null) {
            for (int status : declared.value()) {
                statuses.add(status);
            }
        }
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        for (int status : statuses) {
            responses.addApiResponse(Integer.toString(status), problemResponse(status));
        }
        operation.setResponses(responses);
        return operation;
    }

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        openApi.getComponents().addSchemas("Problem", problemSchema());
    }

    private static ApiResponse problemResponse(int status) {
        ApiResponse response = new ApiResponse().description(MEANING.getOrDefault(status, "An error; see the problem's detail"))
                .content(new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref(PROBLEM_REF))));
        if (status == 429 || status == 503) {
            response.addHeaderObject("Retry-After", new Header().description("Seconds to wait before trying again")
                    .schema(new IntegerSchema()));
        }
        return response;
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        Schema<?> schema = new ObjectSchema()
                .description("An RFC 9457 problem. `type` is stable (" + ProblemTypes.BASE + "…): switch on it, show `detail`.")
                .addProperty("type", new StringSchema().format("uri").description("Stable identifier of the kind of problem"))
                .addProperty("title", new StringSchema().description("Short summary of the status"))
                .addProperty("status", new IntegerSchema().description("The HTTP status"))
                .addProperty("detail", new StringSchema().description("What went wrong with this request, for a person"))
                .addProperty("instance", new StringSchema().format("uri-reference").description("The request's path"));
        schema.setAdditionalProperties(Boolean.TRUE);
        return schema;
    }
}
