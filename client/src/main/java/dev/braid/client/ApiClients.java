package dev.braid.client;

import tools.jackson.databind.json.JsonMapper;

/** A generated {@link ApiClient} aimed at a gateway and holding an API key: what every caller of the client starts with. */
public final class ApiClients {

    private ApiClients() {
    }

    public static ApiClient of(String gatewayUrl, String apiKey) {
        return aim(new ApiClient(), gatewayUrl, apiKey);
    }

    /** With a mapper of the caller's own (a test's that refuses undeclared fields, say). */
    public static ApiClient of(String gatewayUrl, String apiKey, JsonMapper mapper) {
        return aim(new ApiClient(mapper, ApiClient.createDefaultDateFormat()), gatewayUrl, apiKey);
    }

    private static ApiClient aim(ApiClient client, String gatewayUrl, String apiKey) {
        client.setBasePath(gatewayUrl);
        client.setBearerToken(apiKey);
        return client;
    }
}
