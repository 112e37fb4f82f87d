package dev.braid.testing;

import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import org.springframework.web.bind.annotation.RestController;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The architecture rules of {@code shared/STYLE.md} that every service checks with ArchUnit: each
 * service's {@code ArchitectureTests} runs them all on its own classes with
 * {@code @ArchTest static final ArchTests rules = ArchTests.in(ArchitectureRules.class)}.
 */
public final class ArchitectureRules {

    /** Controllers end in {@code Controller}. */
    @ArchTest
    public static final ArchRule CONTROLLERS_ARE_NAMED = classes().that().areAnnotatedWith(RestController.class)
            .should().haveSimpleNameEndingWith("Controller");

    /** Controllers stay thin: parsing and mapping, never SQL. */
    @ArchTest
    public static final ArchRule CONTROLLERS_RUN_NO_SQL = noClasses().that().haveSimpleNameEndingWith("Controller")
            .should().dependOnClassesThat().resideInAPackage("org.springframework.jdbc..");

    /** Feature packages ({@code dev.braid.<service>.<feature>}) do not depend on each other in a circle. */
    @ArchTest
    public static final ArchRule FEATURES_FREE_OF_CYCLES = slices().matching("dev.braid.*.(*)..").should().beFreeOfCycles();

    /** Logs go through SLF4J; nothing prints to stdout/stderr or uses java.util.logging. */
    @ArchTest
    public static final ArchRule NO_STANDARD_STREAMS = GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
    @ArchTest
    public static final ArchRule NO_JUL = GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

    /** Dependencies come through constructors. */
    @ArchTest
    public static final ArchRule NO_FIELD_INJECTION = GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION;

    /** Production code never reaches for test support: no JUnit, AssertJ, ArchUnit, embedded PostgreSQL or this module. */
    @ArchTest
    public static final ArchRule NO_TEST_SUPPORT_IN_PRODUCTION = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("org.junit..", "org.assertj..", "org.mockito..", "com.tngtech.archunit..", "io.zonky..",
                    "dev.braid.testing..");

    private ArchitectureRules() {
    }
}
