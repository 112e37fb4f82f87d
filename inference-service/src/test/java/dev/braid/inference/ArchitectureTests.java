package dev.braid.inference;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;

import dev.braid.testing.ArchitectureRules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

@AnalyzeClasses(packages = "dev.braid.inference", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

    @ArchTest
    static final ArchTests braidRules = ArchTests.in(ArchitectureRules.class);

    /** The batching core stands on its own (djl-serving's wlm): no HTTP, servlet or Spring web types. */
    @ArchTest
    static final ArchRule batchingCoreHasNoHttpTypes = noClasses().that().resideInAPackage("dev.braid.inference.batching..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework.web..", "org.springframework.http..",
                    "jakarta.servlet..", "dev.braid.inference.web..", "dev.braid.inference.prediction..");
}
