package dev.braid.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each service owns one schema and no service reads or writes another's. Its SQL lives in strings, which ArchUnit
 * cannot see, so this reads the sources: every schema-qualified table a statement names after {@code from},
 * {@code join}, {@code into}, {@code update}, {@code table} or {@code references} must be in the service's own schema.
 */
class SchemaBoundaryTests {

    private static final Set<String> SCHEMAS = Set.of("gateway", "dataset", "training", "inference", "privacy");
    private static final Pattern TABLE = Pattern.compile("(?i)\\b(?:from|join|into|update|table|references)\\s+([a-z_]+)\\.([a-z_]+)");

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "dataset", "training", "inference", "privacy"})
    void shouldNameNoTableOfAnotherServicesSchema(String schema) throws IOException {
        Path sources = Path.of("..", schema + "-service", "src", "main");
        List<String> own = new ArrayList<>();
        List<String> foreign = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher table = TABLE.matcher(Files.readString(file));
                while (table.find()) {
                    String named = table.group(1).toLowerCase(Locale.ROOT);
                    String reference = sources.relativize(file) + ": " + table.group(1) + "." + table.group(2);
                    if (named.equals(schema)) {
                        own.add(reference);
                    }
                    else if (SCHEMAS.contains(named)) {
                        foreign.add(reference);
                    }
                }
            }
        }
        assertThat(own).as("the check reads the service's SQL").isNotEmpty();
        assertThat(foreign).as("tables of another service's schema").isEmpty();
    }
}
