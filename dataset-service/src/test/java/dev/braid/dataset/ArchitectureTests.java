package dev.braid.dataset;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import dev.braid.common.testing.ArchitectureRules;

@AnalyzeClasses(packages = "dev.braid.dataset", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

    @ArchTest
    static final ArchRule controllersAreNamed = ArchitectureRules.CONTROLLERS_ARE_NAMED;

    @ArchTest
    static final ArchRule controllersRunNoSql = ArchitectureRules.CONTROLLERS_RUN_NO_SQL;

    @ArchTest
    static final ArchRule featuresFreeOfCycles = ArchitectureRules.FEATURES_FREE_OF_CYCLES;

    @ArchTest
    static final ArchRule noStandardStreams = ArchitectureRules.NO_STANDARD_STREAMS;

    @ArchTest
    static final ArchRule noJavaUtilLogging = ArchitectureRules.NO_JUL;

    @ArchTest
    static final ArchRule noFieldInjection = ArchitectureRules.NO_FIELD_INJECTION;
}
