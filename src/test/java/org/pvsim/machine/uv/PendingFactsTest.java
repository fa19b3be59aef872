package org.pvsim.machine.uv;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The facts of reference userspace-and-tests §2.4 that still need machine support, one placeholder each.
 * Every SIE fact (pv-diags, pv-ipl, pv-icptcode, uv-guest 1, the pinned unshare) is a real test in
 * org.pvsim.machine.sie.SecureSieTest. What is left needs the host CPU or the UV to know more:
 * uv-host 7 needs DAT in the host CPU (not modelled: UVC takes a real address), uv-host 8 needs the UV to
 * know the other CPUs' prefixes, uv-host 13 needs the machine to answer a host diag 308 load-normal.
 */
@Disabled("needs host DAT, a CPU-prefix census for the UV, and a host diag 308 in the machine")
class PendingFactsTest {
    @Test void uvHost7_uvcbOnAnInvalidHostPageIsAPageTranslationException_forEveryCommand() { }
    @Test void uvHost7_uvcbWhoseBodyCrossesOntoAnInvalidHostPageIsAPageTranslationException() { }
    @Test void uvHost8_variableStorageContainingAnotherCpusPrefixAnswers0x10e() { }
    @Test void uvHost13_diag308LoadNormalClearsDonatedMemoryAndUninitialisesTheUv_viaTheCpu() { }
}
