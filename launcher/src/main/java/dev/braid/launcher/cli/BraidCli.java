package dev.braid.launcher.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

import dev.braid.client.ApiClient;
import dev.braid.client.ApiClients;

/** The root command: where the gateway is, which key to use, and how to print. */
@Command(name = "braid", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, sortOptions = false,
        subcommands = {DatasetsCommand.class, JobsCommand.class, ModelsCommand.class, PredictCommand.class},
        description = "Braid's API from a terminal. The key comes from BRAID_API_KEY, else $BRAID_HOME/admin.key.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the API refused the request, or the job did not succeed", "2:bad usage",
                "3:the gateway could not be reached"})
public final class BraidCli {

    public static final int API_ERROR = 1;
    public static final int UNREACHABLE = 3;

    @Option(names = "--url", scope = CommandLine.ScopeType.INHERIT, description = "The gateway (default: $BRAID_URL, else http://localhost:8080).")
    String url;

    @Option(names = "--json", scope = CommandLine.ScopeType.INHERIT, description = "Print the API's JSON instead of tables, for scripts.")
    boolean json;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private final Map<String, String> env;

    BraidCli(Map<String, String> env) {
        this.env = env;
    }

    /** Runs one command line; what it prints goes to {@code out}, errors and progress to {@code err}. */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new BraidCli(env));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, line, parsed) -> report(ex, line.getErr(), ((BraidCli) cli.getCommand()).gateway()));
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    String gateway() {
        String chosen = url != null ? url : env.getOrDefault("BRAID_URL", "http://localhost:8080");
        return chosen.endsWith("/") ? chosen.substring(0, chosen.length() - 1) : chosen;
    }

    String key() {
        String key = env.get("BRAID_API_KEY");
        if (key != null && !key.isBlank()) {
            return key.strip();
        }
        Path file = Path.of(env.getOrDefault("BRAID_HOME", ".braid")).resolve("admin.key");
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        catch (IOException ex) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "No API key: set BRAID_API_KEY, or run ./braid up, which writes " + file);
        }
    }

    ApiClient client() {
        return ApiClients.of(gateway(), key());
    }

    /**
     * The generated client's {@code RestClient}, aimed at the gateway with the key, for the two calls
     * its methods cannot make: an upload in another media type than the document's first, and
     * reading the event stream as it comes.
     */
    RestClient rest() {
        return client().getRestClient().mutate().baseUrl(gateway()).defaultHeader("Authorization", "Bearer " + key()).build();
    }

    Output output() {
        return new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
    }

    private static int report(Exception ex, PrintWriter err, String gateway) {
        if (ex instanceof RestClientResponseException response) {
            JsonNode problem = Output.problem(response.getResponseBodyAsString());
            String detail = problem.path("detail").asString("");
            err.println("error: " + Output.safe(detail.isEmpty() ? response.getStatusText() : detail));
            err.println("  (HTTP " + response.getStatusCode().value()
                    + (problem.has("type") ? ", " + Output.safe(problem.path("type").asString()) : "") + ")");
            return API_ERROR;
        }
        if (ex instanceof ResourceAccessException) {
            err.println("error: cannot reach the gateway at " + gateway + " (is Braid up? ./braid up -d)");
            return UNREACHABLE;
        }
        err.println("error: " + Output.safe(ex.getMessage()));
        return API_ERROR;
    }
}
