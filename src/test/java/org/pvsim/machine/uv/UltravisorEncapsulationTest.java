package org.pvsim.machine.uv;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The UV's state has no public door: only the call interface and the machine-facing types are public. */
class UltravisorEncapsulationTest {
    @Test
    void onlyTheEntryTypesArePublic() {
        JavaClasses uv = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.pvsim.machine.uv");
        classes().that().resideInAPackage("org.pvsim.machine.uv")
                .and().doNotHaveSimpleName("Ultravisor").and().doNotHaveSimpleName("MachineIdentity")
                .and().doNotHaveSimpleName("HostKey").and().doNotHaveSimpleName("UvParameters")
                .and().doNotHaveSimpleName("SecureEntry").and().doNotHaveSimpleName("Run")
                .and().doNotHaveSimpleName("Validity").and().doNotHaveSimpleName("PrefixNotSecure")
                .and().doNotHaveSimpleName("UvInterception")
                .should().notBePublic()
                .because("configurations, CPUs, page ownership and keys must be reachable only through UV calls")
                .check(uv);
    }
}
