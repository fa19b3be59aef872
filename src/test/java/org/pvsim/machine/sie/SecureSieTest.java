package org.pvsim.machine.sie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pvsim.machine.SieBlock.*;
import static org.pvsim.machine.sie.SieFixture.*;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.ProgramInterruption;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.SecureEntry;
import org.pvsim.machine.uv.cb.ConvertFromSecure;
import org.pvsim.machine.uv.cb.CpuSetState;
import org.pvsim.machine.uv.cb.NoData;
import org.pvsim.machine.uv.cb.Share;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.machine.uv.cb.UvcbHeader;

/**
 * SIE with format-4 state descriptions, end to end: a secure snippet guest unpacked and verified by the UV
 * runs on the machine's SIE, and each kvm-unit-tests fact (pv-diags, pv-ipl, pv-icptcode, uv-guest 1;
 * reference userspace-and-tests §2.4) is checked on the interception code, IPA/IPB, the PV GR save area
 * (SD page + 0x380), the SIDA or the validity reason.
 */
class SecureSieTest {
    final SieFixture f = new SieFixture();

    /** The PV diag interception (IPA 0x8302, IPB 0x50000000) of diagnose {@code code} (GR5). */
    static void assertDiag(SieFixture.SecureSnippet g, Interception x, int icpt, int code) {
        assertThat(x).isEqualTo(diag(icpt));
        assertThat(g.grreg(5)).as("diagnose code in GR5").isEqualTo(code);
    }

    SieFixture.SecureSnippet guest(long entry) {
        return f.new SecureSnippet(entry);
    }

    // ---- pv-diags

    @Test
    void pvDiags_diag44IsIntercept0x6cWithIpa8302Ipb50000000Gr5_0x44() {
        var g = guest(DIAG44);
        assertThat(g.run()).isEqualTo(new Interception(ICPT_PV_NOTIFICATION, 0x8302, 0x50000000));
        assertThat(g.grreg(5)).isEqualTo(0x44);
        assertDiag(g, g.run(), ICPT_PV_NOTIFICATION, 0x44);
    }

    @Test
    void pvDiags_diag9cIsIntercept0x6cWithTheR1ValueRemappedToGr0() {
        var g = guest(DIAG9C);
        assertThat(g.run()).isEqualTo(diag(ICPT_PV_NOTIFICATION));
        assertThat(g.grreg(5)).isEqualTo(0x9c);
        assertThat(g.grreg(0)).as("the guest's r1 (42) shows in GR0").isEqualTo(42);
        assertThat(g.grreg(1)).as("not the guest's r1").isZero();
    }

    @Test
    void pvDiags_diag288IsIntercept0x68AndAnInjectedSpecificationExceptionReachesTheGuest() {
        var g = guest(DIAG288);
        assertThat(g.run()).isEqualTo(diag(ICPT_PV_INSTRUCTION));
        assertThat(g.grreg(5)).isEqualTo(0x288);
        assertThat(new long[] {g.grreg(0), g.grreg(1), g.grreg(2)}).containsExactly(1, 2, 3);
        g.iictl(IICTL_SPECIFICATION);
        assertThat(g.run()).as("the guest's handler reports its program code").isEqualTo(diag(ICPT_PV_NOTIFICATION));
        assertThat(g.grreg(5)).isEqualTo(0x9c);
        assertThat(g.grreg(0)).isEqualTo(ProgramInterruption.SPECIFICATION);
    }

    @Test
    void pvDiags_diag500ShowsGr1To4AndOperandOrSpecificationInjectionIsAllowed() {
        var g = guest(DIAG500);
        for (int code : new int[] {IICTL_OPERAND, IICTL_SPECIFICATION}) {
            assertThat(g.run()).isEqualTo(diag(ICPT_PV_INSTRUCTION));
            assertThat(g.grreg(5)).isEqualTo(0x500);
            assertThat(new long[] {g.grreg(1), g.grreg(2), g.grreg(3), g.grreg(4)}).containsExactly(1, 2, 3, 4);
            g.iictl(code);
            assertDiag(g, g.run(), ICPT_PV_NOTIFICATION, 0x9c);
            assertThat(g.grreg(0)).isEqualTo(code == IICTL_OPERAND ? 0x15 : ProgramInterruption.SPECIFICATION);
        }
    }

    @Test
    void injectingAProgramExceptionWithoutAnInterceptedInstructionIsValidity() {
        var g = guest(DIAG44);
        assertDiag(g, g.run(), ICPT_PV_NOTIFICATION, 0x44); // a notification: nothing to complete
        g.iictl(IICTL_SPECIFICATION);
        assertThat(g.validityReason(g.enter())).isEqualTo(SecureGuest.VIR_INJECTION);
    }

    // ---- pv-ipl

    @Test
    void pvIpl1_diag308InThePvGuestIsIntercept0x6cWithGr5_0x308AndTheSubcodeInGr2() {
        for (int subcode : new int[] {0, 1}) {
            var g = new SieFixture().new SecureSnippet(IPL);
            assertDiag(g, g.run(), ICPT_PV_INSTRUCTION, 0x500); // diag 0x500: which subcode?
            g.setGrreg(2, subcode);
            assertThat(g.run()).isEqualTo(diag(ICPT_PV_NOTIFICATION));
            assertThat(g.grreg(5)).isEqualTo(0x308);
            assertThat(g.grreg(2)).isEqualTo(subcode);
        }
    }

    @Test
    void pvIpl2to7_theCpuRunsAgainOnlyAfterTheWholeResetSequenceThenFromTheResetPsw() {
        var g = guest(IPL);
        assertDiag(g, g.run(), ICPT_PV_INSTRUCTION, 0x500);
        g.setGrreg(2, 1);
        assertDiag(g, g.run(), ICPT_PV_NOTIFICATION, 0x308);
        assertThat(g.validityReason(g.enter())).as("re-entry without UV action").isEqualTo(SecureEntry.VIR_NOT_RUNNABLE);
        f.ok(CpuSetState.of(g.cpuHandle, 2));
        assertThat(g.validityReason(g.enter())).isEqualTo(SecureEntry.VIR_NOT_RUNNABLE);
        f.ok(NoData.of(UvCommand.SET_UNSHARE_ALL, g.configHandle));
        assertThat(g.validityReason(g.enter())).isEqualTo(SecureEntry.VIR_NOT_RUNNABLE);
        f.ok(NoData.of(UvCommand.PREPARE_RESET, g.configHandle));
        assertThat(g.validityReason(g.enter())).isEqualTo(SecureEntry.VIR_NOT_RUNNABLE);
        f.ok(NoData.of(UvCommand.CPU_RESET_INITIAL, g.cpuHandle));
        assertThat(g.validityReason(g.enter())).isEqualTo(SecureEntry.VIR_NOT_RUNNABLE);
        f.ok(CpuSetState.of(g.cpuHandle, 5));
        assertThat(g.run()).as("from the reset PSW at 'done'").isEqualTo(diag(ICPT_PV_NOTIFICATION));
        assertThat(g.grreg(5)).isEqualTo(0x9c);
        assertThat(g.grreg(0)).isEqualTo(42);
    }

    // ---- pv-icptcode

    @Test
    void pvIcpt_sieTurnsPrefixNotSecureIntoIntercept0x70_includingSharedLowcoreAndPrefix0x8000() {
        var g = guest(DIAG44);
        assertDiag(g, g.run(), ICPT_PV_NOTIFICATION, 0x44);
        for (long page : new long[] {0, 0x1000}) {
            f.ok(ConvertFromSecure.of(UvCommand.CONV_FROM_SEC_STOR, g.mem.host(page)));
            assertThat(g.enter()).as("page 0x%x exported", page).isEqualTo(new Interception(ICPT_PV_PREFIX, 0, 0));
            g.importPage(page);
            assertDiag(g, g.enter(), ICPT_PV_NOTIFICATION, 0x44);
        }
    }

    @Test
    void pvIcpt_aSharedLowcoreExportedByTheHostIsIntercept0x70Too() {
        var g = guest(SHARE);
        g.guestWrite(DATA, new Share(UvcbHeader.of(UvCommand.SET_SHARED_ACCESS), 0).encode());
        assertDiag(g, g.run(), ICPT_PV_NOTIFICATION, 0x44); // the guest shared its lowcore page 0
        assertThat(f.storage.stateOf(g.mem.host(0) >>> 12)).isEqualTo(Storage.STATE_SHARED);
        f.ok(ConvertFromSecure.of(UvCommand.CONV_FROM_SEC_STOR, g.mem.host(0)));
        assertThat(g.enter()).isEqualTo(new Interception(ICPT_PV_PREFIX, 0, 0));
    }

    @Test
    void pvIcpt_spxIsNotificationIntercept108WithIpaB210AndTheNewPrefixInTheSida_thenPrefix0x8000Is0x70() {
        var g = guest(SPX);
        g.guestWrite(DATA, ByteBuffer.allocate(4).putInt(0x8000).array());
        Interception spx = g.run();
        assertThat(spx.code()).isEqualTo(ICPT_PV_NOTIFICATION);
        assertThat(spx.ipa()).isEqualTo(0xb210);
        assertThat(g.sidaWord()).isEqualTo(0x8000);
        assertThat(g.enter()).as("pages 0x8000 and 0x9000 are not secure").isEqualTo(new Interception(ICPT_PV_PREFIX, 0, 0));
        assertThat(f.storage.readInt(g.sd + PREFIX, Storage.HOST)).isEqualTo(0x8000);
        g.importPage(0x8000);
        g.importPage(0x9000);
        assertDiag(g, g.enter(), ICPT_PV_NOTIFICATION, 0x44);
    }

    @Test
    void pvIcpt_sieReadsHandlesAndCr1FromTheFormat4SdAndAsksTheUv_validityCasesEndToEnd() {
        var g = guest(DIAG44);
        assertDiag(g, g.run(), ICPT_PV_NOTIFICATION, 0x44);
        for (int bit = 0; bit < 64; bit++) {
            for (int field : new int[] {PV_HANDLE_CONFIG, PV_HANDLE_CPU}) {
                long good = f.storage.readLong(g.sd + field, Storage.HOST);
                f.storage.writeLong(g.sd + field, good ^ (1L << bit), Storage.HOST);
                assertThat(g.validityReason(g.enter())).as("bit %d of 0x%x", bit, field)
                        .isEqualTo(field == PV_HANDLE_CPU ? SecureEntry.VIR_CPU_HANDLE : SecureEntry.VIR_CONFIG_HANDLE);
                f.storage.writeLong(g.sd + field, good, Storage.HOST);
            }
        }
        g.asce = g.mem.asce() + 0x4000; // another ASCE, not the one of CREATE_SEC_CONF
        assertThat(g.validityReason(g.enter())).isEqualTo(SecureEntry.VIR_ASCE);
        g.asce = g.mem.asce();
        assertDiag(g, g.enter(), ICPT_PV_NOTIFICATION, 0x44);
        f.storage.writeByte(g.sd + SDF, 0, Storage.HOST);
        assertThatThrownBy(g::enter).as("read as format 2, the SD's guest is nothing the host mapped")
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void pvIcpt_handlesOfAnotherConfigurationAreValidity() {
        var g = guest(DIAG44);
        var other = new SieFixture().new SecureSnippet(DIAG44); // its own machine: the handles mean nothing here
        f.storage.writeLong(g.sd + PV_HANDLE_CPU, other.cpuHandle, Storage.HOST);
        assertThat(g.validityReason(g.enter())).isBetween(SecureEntry.VIR_CONFIG_HANDLE, SecureEntry.VIR_CPU_HANDLE);
    }

    @Test
    void pvIcpt_sieHandsTheSdCpuTimerToTheUvOnEntryAndExit_cpuTimerValidityEndToEnd() {
        var g = guest(DIAG44);
        assertDiag(g, g.run(), ICPT_PV_NOTIFICATION, 0x44);
        long oneMs = 1000L << 12;
        long left = g.cpuTimer;
        assertThat(left).as("the guest's timer ran down in SIE").isLessThan(1L << 50);
        g.cpuTimer = left + oneMs;
        assertThat(g.validityReason(g.enter())).as("raised by 1 ms").isEqualTo(SecureEntry.VIR_CPU_TIMER);
        g.cpuTimer = left - 4000 * oneMs;
        assertThat(g.validityReason(g.enter())).as("lowered by 4 s").isEqualTo(SecureEntry.VIR_CPU_TIMER);
        g.cpuTimer = left;
        assertDiag(g, g.enter(), ICPT_PV_NOTIFICATION, 0x44);
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void pvIcpt_theSameCpuOnTwoHostThreadsAtOnceIsValidityForOne() throws Exception {
        var g = guest(LOOP);
        f.storage.writeLong(g.sd + CPUTM, g.cpuTimer, Storage.HOST);
        var done = new java.util.concurrent.LinkedBlockingQueue<Interception>();
        Runnable entry = () -> done.add(f.sie.run(g.sd, g.asce, Sie.HostRegisters.fresh(), Long.MAX_VALUE));
        Thread a = new Thread(entry);
        Thread b = new Thread(entry);
        a.start();
        b.start();
        Interception firstBack = done.take(); // the one that could not enter; the other loops in the guest
        f.storage.writeInt(g.sd + CPUFLAGS, CPUSTAT_ZARCH | CPUSTAT_STOP_INT, Storage.HOST);
        Interception secondBack = done.take();
        a.join();
        b.join();
        assertThat(firstBack.code()).isEqualTo(ICPT_VALIDITY);
        assertThat(firstBack.ipb() >>> 16).isEqualTo(SecureEntry.VIR_ALREADY_RUNNING);
        assertThat(secondBack.code()).isEqualTo(ICPT_STOP);
    }

    // ---- secure storage

    @Test
    void theGuestCpuOfADestroyedSecureCpuIsForgotten_soRebootsDoNotAccumulateThem() {
        var g = guest(DIAG44);
        assertDiag(g, g.run(), ICPT_PV_NOTIFICATION, 0x44);
        for (int reboot = 0; reboot < 3; reboot++) {
            f.ok(NoData.of(UvCommand.DESTROY_SEC_CPU, g.cpuHandle));
            g.createCpu();
            assertDiag(g, g.run(), ICPT_PV_NOTIFICATION, 0x44);
            assertThat(f.sie.guestCpus()).as("after %d new secure CPUs", reboot + 1).isEqualTo(1);
        }
    }

    @Test
    void aGuestAccessToAPageNotYetImportedIsTheHostsException0x3e_andTheGuestRetriesAfterTheImport() {
        var g = guest(TOUCH);
        g.importPage(0x2000);
        ProgramInterruption pi = null;
        for (int i = 0; i < 5 && pi == null; i++) {
            try {
                Interception x = g.enter();
                if (x.code() == ICPT_PV_PREFIX) {
                    g.importPage(0);
                    g.importPage(0x1000);
                }
            } catch (ProgramInterruption e) {
                pi = e;
            }
        }
        assertThat(pi).isNotNull();
        assertThat(pi.code()).isEqualTo(ProgramInterruption.NON_SECURE_STORAGE_ACCESS);
        assertThat(pi.address()).isEqualTo(0x100000);
        g.importPage(0x100000);
        assertDiag(g, g.enter(), ICPT_PV_NOTIFICATION, 0x44);
    }

    @Test
    void theHostReadingAGuestPageAfterTheGuestRanIsSecureStorageAccess0x3d() {
        var g = guest(SECRET);
        assertDiag(g, g.run(), ICPT_PV_NOTIFICATION, 0x44);
        assertThatThrownBy(() -> f.storage.hostView().readLong(g.mem.host(DATA)))
                .isInstanceOfSatisfying(ProgramInterruption.class, e -> assertThat(e.code()).isEqualTo(0x3d));
        assertThat(ByteBuffer.wrap(g.guestRead(DATA, 8)).getLong()).as("the guest's own view").isEqualTo(SECRET_VALUE);
    }

    // ---- uv-guest 1

    @Test
    void uvGuest1_quiShareUnshareAttestInGuestProblemStateArePrivilegedOperationExceptions() {
        var g = guest(PROBLEM_STATE_UVC);
        UvCommand[] cmds = {UvCommand.QUI, UvCommand.SET_SHARED_ACCESS, UvCommand.REMOVE_SHARED_ACCESS, UvCommand.RETR_ATTEST};
        ByteBuffer blocks = ByteBuffer.allocate(0x400);
        for (int i = 0; i < cmds.length; i++) {
            blocks.putShort(0x100 * i, (short) 0x30).putShort(0x100 * i + 2, (short) cmds[i].code());
        }
        g.guestWrite(DATA, blocks.array());
        for (UvCommand cmd : cmds) {
            assertThat(g.run()).as("%s", cmd).isEqualTo(diag(ICPT_PV_NOTIFICATION));
            assertThat(g.grreg(5)).isEqualTo(0x9c);
            assertThat(g.grreg(0)).as("%s", cmd).isEqualTo(ProgramInterruption.PRIVILEGED_OPERATION);
        }
        assertThat(ByteBuffer.wrap(g.guestRead(DATA, 0x400)).getShort(4)).as("no rc: the UV never saw it").isZero();
    }

    // ---- reference kernel-pv §4.5: the guest side of the pinned-page unshare

    @Test
    void unshareOfAPinnedPageIsNotificationIntercept108WithIpaB9a4AndTheUvcbInTheSida_throughSie() {
        var g = guest(SHARE);
        long page = 0x50000;
        g.importPage(page);
        ByteBuffer blocks = ByteBuffer.allocate(0x200);
        blocks.put(new Share(UvcbHeader.of(UvCommand.SET_SHARED_ACCESS), page).encode());
        blocks.put(0x100, new Share(UvcbHeader.of(UvCommand.REMOVE_SHARED_ACCESS), page).encode());
        g.guestWrite(DATA, blocks.array());
        assertDiag(g, g.run(), ICPT_PV_NOTIFICATION, 0x44);
        f.ok(ConvertFromSecure.of(UvCommand.PIN_PAGE_SHARED, g.mem.host(page)));
        Interception x = g.run();
        assertThat(x.code()).isEqualTo(ICPT_PV_NOTIFICATION);
        assertThat(x.ipa()).isEqualTo(0xb9a4);
        byte[] sida = f.storage.read(g.sida, Share.SIZE, Storage.HOST);
        assertThat(Share.decode(sida).header().cmd()).isEqualTo(UvCommand.REMOVE_SHARED_ACCESS.code());
        assertThat(Share.decode(sida).paddr()).isEqualTo(page);
        f.ok(org.pvsim.machine.uv.cb.ConvertToSecure.of(UvCommand.UNPIN_PAGE_SHARED, g.configHandle, page));
        assertDiag(g, g.run(), ICPT_PV_NOTIFICATION, 0x44);
        assertThat(f.storage.stateOf(g.mem.host(page) >>> 12)).isEqualTo(Storage.STATE_SECURE);
    }
}
