package org.pvsim.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trust boundaries of DESIGN.md, enforced on the compiled main classes. A rule whose subject package is
 * empty fails (so a renamed package cannot silently turn a rule off), except for vmm, which does not exist
 * yet ({@link #checkOncePresent}); machine.sie, also still empty, is named only as a forbidden target, which
 * needs no such allowance.
 */
class LayerRulesTest {
    /** The host layers: the kernel, user space and the command line (the operator's tools). */
    static final String[] HOST = {"org.pvsim.kvm..", "org.pvsim.vmm..", "org.pvsim.cli.."};

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.pvsim");
    }

    /**
     * For a rule about a package that does not exist yet (vmm): it may be empty until the
     * package's first class lands, and is checked like any other from then on.
     */
    private static void checkOncePresent(ArchRule rule, String packageName) {
        boolean present = classes.stream().anyMatch(c -> c.getPackageName().startsWith(packageName));
        rule.allowEmptyShould(!present).check(classes);
    }

    // ---- the host's view of the machine: these also judge the negative test's classes -------------------

    /** Host software gets {@code HostStorage}; the firmware's storage, with domains and tags, is the machine's. */
    static final ArchRule HOST_NEVER_HOLDS_FIRMWARE_STORAGE = noClasses().that().resideInAnyPackage(HOST)
            .should().dependOnClassesThat(DescribedPredicate.describe(
                    "are the firmware's Storage (access domains, frame tags, raw frames)",
                    (JavaClass c) -> c.getName().equals("org.pvsim.machine.storage.Storage")
                            || c.getName().startsWith("org.pvsim.machine.storage.Storage$")));

    /** The CPUs (whose Machine hands out the firmware storage) and SIE are inside the machine. */
    static final ArchRule HOST_DOES_NOT_REACH_CPUS_OR_SIE = noClasses().that().resideInAnyPackage(HOST)
            .should().dependOnClassesThat().resideInAnyPackage("org.pvsim.machine.cpu..", "org.pvsim.machine.sie..");

    /** The UV's state is reachable only through UV calls: the host may use the UVCB layouts only. */
    static final ArchRule HOST_SEES_ONLY_THE_UV_CALL_INTERFACE = noClasses().that().resideInAnyPackage(HOST)
            .should().dependOnClassesThat(DescribedPredicate.describe(
                    "are Ultravisor internals (in org.pvsim.machine.uv.. but not uv.cb or uv.trace)",
                    (JavaClass c) -> c.getPackageName().startsWith("org.pvsim.machine.uv")
                            && !c.getPackageName().equals("org.pvsim.machine.uv.cb")
                            && !c.getPackageName().equals("org.pvsim.machine.uv.trace")));

    static List<ArchRule> hostRules() {
        return List.of(HOST_NEVER_HOLDS_FIRMWARE_STORAGE, HOST_DOES_NOT_REACH_CPUS_OR_SIE,
                HOST_SEES_ONLY_THE_UV_CALL_INTERFACE);
    }

    @Test
    void hostLayersNeverHoldTheFirmwareStorage() {
        HOST_NEVER_HOLDS_FIRMWARE_STORAGE.check(classes);
    }

    @Test
    void hostLayersDoNotReachTheCpusOrSie() {
        HOST_DOES_NOT_REACH_CPUS_OR_SIE.check(classes);
    }

    @Test
    void hostSoftwareSeesOnlyTheUltravisorCallInterface() {
        HOST_SEES_ONLY_THE_UV_CALL_INTERFACE.check(classes);
    }

    // ---- layering --------------------------------------------------------------------------------------

    @Test
    void formatAndCryptoDependOnNothingOfOurs() {
        noClasses().that().resideInAPackage("org.pvsim.se..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.pvsim.image..", "org.pvsim.machine..", "org.pvsim.kvm..",
                        "org.pvsim.vmm..", "org.pvsim.cli..")
                .check(classes);
    }

    @Test
    void customerToolingUsesOnlyTheFormat() {
        noClasses().that().resideInAPackage("org.pvsim.image..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.pvsim.machine..", "org.pvsim.kvm..", "org.pvsim.vmm..", "org.pvsim.cli..")
                .check(classes);
    }

    @Test
    void machineKnowsNothingOfItsSoftware() {
        noClasses().that().resideInAPackage("org.pvsim.machine..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.pvsim.image..", "org.pvsim.kvm..", "org.pvsim.vmm..", "org.pvsim.cli..")
                .check(classes);
    }

    @Test
    void hostKernelKnowsNothingOfUserSpace() {
        noClasses().that().resideInAPackage("org.pvsim.kvm..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.pvsim.image..", "org.pvsim.vmm..", "org.pvsim.cli..")
                .check(classes);
    }

    @Test
    void userSpaceTalksOnlyToTheKernel() {
        checkOncePresent(noClasses().that().resideInAPackage("org.pvsim.vmm..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.pvsim.machine.uv..", "org.pvsim.machine.cpu..", "org.pvsim.machine.sie..",
                        "org.pvsim.cli.."),
                "org.pvsim.vmm");
    }

    /** The command line is the top: nothing below it may call back into it. */
    @Test
    void nothingDependsOnTheCommandLine() {
        noClasses().that().resideOutsideOfPackage("org.pvsim.cli..")
                .should().dependOnClassesThat().resideInAPackage("org.pvsim.cli..")
                .check(classes);
    }

    /** uv.cb is the kernel's uv.h: it knows nothing of the UV behind it nor of the test aids. */
    @Test
    void theCallInterfaceDependsOnNoOtherPartOfTheUltravisor() {
        noClasses().that().resideInAPackage("org.pvsim.machine.uv.cb")
                .should().dependOnClassesThat().resideInAnyPackage("org.pvsim.machine.uv", "org.pvsim.machine.uv.trace")
                .check(classes);
    }

    /** Unchecked frame access is firmware-only. */
    @Test
    void onlyTheMachineBypassesStorageOwnership() {
        noClasses().that().resideOutsideOfPackage("org.pvsim.machine..")
                .should().callMethodWhere(DescribedPredicate.describe(
                        "a raw* method of Storage",
                        call -> call.getTarget().getOwner().getName().equals("org.pvsim.machine.storage.Storage")
                                && call.getTarget().getName().startsWith("raw")))
                .check(classes);
    }
}
