package dev.braid.testing;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.properties.CanBeAnnotated;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
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

    /**
     * Controllers only map: they reach data through a feature's facade, never a repository (Spring Data or JDBC), and
     * leave models and tensors to the services behind them.
     */
    @ArchTest
    public static final ArchRule CONTROLLERS_ONLY_MAP = noClasses().that().haveSimpleNameEndingWith("Controller")
            .should().dependOnClassesThat(JavaClass.Predicates.simpleNameEndingWith("Repository")
                    .or(CanBeAnnotated.Predicates.annotatedWith("org.springframework.stereotype.Repository")))
            .orShould().dependOnClassesThat().resideInAnyPackage("ai.djl..", "java.sql..");

    /** Repositories (Spring Data or JDBC) are package-private: a feature's data is reached through its facade. */
    @ArchTest
    public static final ArchRule REPOSITORIES_ARE_PACKAGE_PRIVATE = classes()
            .that().areAnnotatedWith("org.springframework.stereotype.Repository")
            .or().areAssignableTo("org.springframework.data.repository.Repository")
            .should().notBePublic()
            .allowEmptyShould(true);

    /** JPA entities are not public and each names its table's schema ({@code @Table(schema = …)}). */
    @ArchTest
    public static final ArchRule ENTITIES_ARE_PACKAGE_PRIVATE_WITH_A_SCHEMA = classes().that()
            .areAnnotatedWith("jakarta.persistence.Entity").should().notBePublic()
            .andShould(new ArchCondition<JavaClass>("name their schema in @Table") {
                @Override
                public void check(JavaClass entity, ConditionEvents events) {
                    boolean named = entity.tryGetAnnotationOfType("jakarta.persistence.Table")
                            .map(table -> !String.valueOf(table.get("schema").orElse("")).isEmpty()).orElse(false);
                    if (!named) {
                        events.add(SimpleConditionEvent.violated(entity, entity.getName() + " has no @Table(schema = …)"));
                    }
                }
            })
            .allowEmptyShould(true);

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
