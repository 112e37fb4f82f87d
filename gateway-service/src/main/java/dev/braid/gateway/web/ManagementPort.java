package dev.braid.gateway.web;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * The port the actuator listens on, once it does. A reactive management context runs the application's web filters
 * too, so the filters ask this whether a request came in on it: there only {@code /actuator/**} is served, without
 * an API key, for the scraper and the orchestrator.
 */
@Component
public class ManagementPort implements ApplicationListener<WebServerInitializedEvent> {

    private volatile int port = -1;

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if ("management".equals(event.getApplicationContext().getServerNamespace())) {
            port = event.getWebServer().getPort();
        }
    }

    public boolean serves(ServerWebExchange exchange) {
        var local = exchange.getRequest().getLocalAddress();
        return port > 0 && local != null && local.getPort() == port;
    }

    public int port() {
        return port;
    }
}
