package dev.braid.dataset;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;

import dev.braid.testing.ArchitectureRules;

@AnalyzeClasses(packages = "dev.braid.dataset", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

    @ArchTest
    static final ArchTests braidRules = ArchTests.in(ArchitectureRules.class);
}
