package org.pvsim.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The trust boundaries of DESIGN.md, enforced on the compiled main classes. */
class LayerRulesTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.pvsim");
    }

    private static void check(ArchRule rule) {
        rule.allowEmptyShould(true).check(classes);
    }

    @Test
    void formatAndCryptoDependOnNothingOfOurs() {
        check(noClasses().that().resideInAPackage("org.pvsim.se..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.pvsim.image..", "org.pvsim.machine..", "org.pvsim.kvm..",
                        "org.pvsim.vmm..", "org.pvsim.cli.."));
    }

    @Test
    void customerToolingUsesOnlyTheFormat() {
        check(noClasses().that().resideInAPackage("org.pvsim.image..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.pvsim.machine..", "org.pvsim.kvm..", "org.pvsim.vmm..", "org.pvsim.cli.."));
    }

    @Test
    void machineKnowsNothingOfItsSoftware() {
        check(noClasses().that().resideInAPackage("org.pvsim.machine..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.pvsim.image..", "org.pvsim.kvm..", "org.pvsim.vmm..", "org.pvsim.cli.."));
    }

    @Test
    void hostKernelKnowsNothingOfUserSpace() {
        check(noClasses().that().resideInAPackage("org.pvsim.kvm..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.pvsim.image..", "org.pvsim.vmm..", "org.pvsim.cli.."));
    }

    @Test
    void userSpaceTalksOnlyToTheKernel() {
        check(noClasses().that().resideInAPackage("org.pvsim.vmm..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.pvsim.machine.uv..", "org.pvsim.machine.cpu..", "org.pvsim.machine.sie..",
                        "org.pvsim.cli.."));
    }

    /**
     * The UV's state is reachable only through UV calls: the host may use the UVCB layouts (uv.cb) and
     * the fault-injection and trace aids (uv.trace), nothing else of the UV.
     */
    @Test
    void hostSoftwareSeesOnlyTheUltravisorCallInterface() {
        check(noClasses().that().resideInAnyPackage("org.pvsim.kvm..", "org.pvsim.vmm..", "org.pvsim.cli..")
                .should().dependOnClassesThat(
                        com.tngtech.archunit.base.DescribedPredicate.describe(
                                "are Ultravisor internals (in org.pvsim.machine.uv.. but not uv.cb or uv.trace)",
                                c -> c.getPackageName().startsWith("org.pvsim.machine.uv")
                                        && !c.getPackageName().equals("org.pvsim.machine.uv.cb")
                                        && !c.getPackageName().equals("org.pvsim.machine.uv.trace"))));
    }

    /** uv.cb is the kernel's uv.h: it knows nothing of the UV behind it nor of the test aids. */
    @Test
    void theCallInterfaceDependsOnNoOtherPartOfTheUltravisor() {
        check(noClasses().that().resideInAPackage("org.pvsim.machine.uv.cb")
                .should().dependOnClassesThat().resideInAnyPackage("org.pvsim.machine.uv", "org.pvsim.machine.uv.trace"));
    }

    /** Unchecked frame access is firmware-only. */
    @Test
    void onlyTheMachineBypassesStorageOwnership() {
        check(noClasses().that().resideOutsideOfPackage("org.pvsim.machine..")
                .should().callMethodWhere(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "a raw* method of Storage",
                        call -> call.getTarget().getOwner().getName().equals("org.pvsim.machine.storage.Storage")
                                && call.getTarget().getName().startsWith("raw"))));
    }
}
