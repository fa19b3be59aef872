package org.pvsim.machine.uv;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The facts of reference userspace-and-tests §2.4 that need a running CPU or SIE, one test each, so
 * that they show as skipped until the cpu/sie packages exist. Every other fact of uv-host, uv-guest
 * and pv-attest is a real test in this package (see the "uv-host N" / "uv-guest N" / "pv-attest N"
 * comments). Facts whose UV half is tested already (SecureEntryTest, ResetAndRebootTest,
 * StorageCallsConformanceTest) stay here for the half the CPU/SIE must do.
 */
@Disabled("needs CPU/SIE")
class PendingFactsTest {
    // ---- uv-host.c
    // uv-host 1, 2 and 6 run on the CPU in RealUvcCodeTest (SimulatedMachine still has to install
    // the CPU census with Ultravisor.setRunningCpuCensus, as that test does)
    @Test void uvHost7_uvcbOnAnInvalidHostPageIsAPageTranslationException_forEveryCommand() { }
    @Test void uvHost7_uvcbWhoseBodyCrossesOntoAnInvalidHostPageIsAPageTranslationException() { }
    @Test void uvHost8_variableStorageContainingAnotherCpusPrefixAnswers0x10e() { }
    @Test void uvHost13_diag308LoadNormalClearsDonatedMemoryAndUninitialisesTheUv_viaTheCpu() { }

    // ---- uv-guest.c
    @Test void uvGuest1_quiShareUnshareAttestInGuestProblemStateArePrivilegedOperationExceptions() { }

    // ---- pv-diags.c
    @Test void pvDiags_diag44IsIntercept0x6cWithIpa8302Ipb50000000Gr5_0x44() { }
    @Test void pvDiags_diag9cIsIntercept0x6cWithTheR1ValueRemappedToGr0() { }
    @Test void pvDiags_diag288IsIntercept0x68AndAnInjectedSpecificationExceptionReachesTheGuest() { }
    @Test void pvDiags_diag500ShowsGr1To4AndOperandOrSpecificationInjectionIsAllowed() { }

    // ---- pv-ipl.c
    @Test void pvIpl1_diag308InThePvGuestIsIntercept0x6cWithGr5_0x308AndTheSubcodeInGr2() { }
    @Test void pvIpl2to6_sieTurnsTheUvsValidityAnswersIntoInterceptCode0x20() { }
    @Test void pvIpl7_afterOperatingWithLoadTheGuestRunsFromTheResetPswAndExitsWithDiag9c42() { }

    // ---- pv-icptcode.c
    @Test void pvIcpt_sieTurnsPrefixNotSecureIntoIntercept0x70_includingSharedLowcoreAndPrefix0x8000() { }
    @Test void pvIcpt_spxIsNotificationIntercept108WithIpaB210AndTheNewPrefixInTheSida() { }
    @Test void pvIcpt_sieReadsHandlesAndCr1FromTheFormat4SdAndAsksTheUv_validityCasesEndToEnd() { }
    @Test void pvIcpt_sieHandsTheSdCpuTimerToTheUvOnEntryAndExit_cpuTimerValidityEndToEnd() { }

    // ---- reference kernel-pv §4.5: the guest side of the pinned-page unshare
    @Test void unshareOfAPinnedPageIsNotificationIntercept108WithIpaB9a4AndTheUvcbInTheSida_throughSie() { }
}
