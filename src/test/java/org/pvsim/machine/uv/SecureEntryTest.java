package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvsim.machine.uv.HostCallConformanceTest.expect;
import static org.pvsim.machine.uv.cb.UvCommand.*;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.uv.cb.ConvertFromSecure;

/** The UV side of SIE entry for secure guests (pv-icptcode and pv-ipl facts, without the CPU). */
class SecureEntryTest {
    VerifiedGuest vg;
    long asce;

    @BeforeEach
    void guest() {
        vg = new VerifiedGuest(new UvFixture(), 0xe0);
        asce = vg.g.mem().asce();
        vg.importPage(0);
        vg.importPage(0x1000);
    }

    SecureEntry enter() {
        return vg.m.uv.enterSecure(vg.g.handle(), vg.cpu, asce, 0);
    }

    @Test
    void aLoadedCpuRunsFromTheHeaderPsw() {
        assertThat(enter()).isEqualTo(new SecureEntry.Run(vg.domain, TestImages.PSW_MASK,
                vg.image.components().get(2).gaddr()));
    }

    @Test
    void flippingAnyBitOfEitherHandleIsValidity() { // pv-icptcode
        for (int bit = 0; bit < 64; bit++) {
            assertThat(vg.m.uv.enterSecure(vg.g.handle() ^ (1L << bit), vg.cpu, asce, 0))
                    .isEqualTo(new SecureEntry.Validity(SecureEntry.VIR_CONFIG_HANDLE));
            assertThat(vg.m.uv.enterSecure(vg.g.handle(), vg.cpu ^ (1L << bit), asce, 0))
                    .isEqualTo(new SecureEntry.Validity(SecureEntry.VIR_CPU_HANDLE));
        }
    }

    @Test
    void handlesOfAnotherConfigurationAreValidity() { // pv-icptcode
        UvFixture.Guest other = vg.m.createGuest(1L << 20);
        long otherCpu = vg.m.createCpu(other.handle(), 0);
        assertThat(vg.m.uv.enterSecure(vg.g.handle(), otherCpu, asce, 0))
                .isEqualTo(new SecureEntry.Validity(SecureEntry.VIR_CPU_HANDLE));
        assertThat(vg.m.uv.enterSecure(other.handle(), vg.cpu, other.mem().asce(), 0))
                .isEqualTo(new SecureEntry.Validity(SecureEntry.VIR_CPU_HANDLE));
    }

    @Test
    void anotherAsceIsValidity() { // pv-icptcode: a copy of the tables is not the configuration's ASCE
        assertThat(vg.m.uv.enterSecure(vg.g.handle(), vg.cpu, asce + 0x4000, 0))
                .isEqualTo(new SecureEntry.Validity(SecureEntry.VIR_ASCE));
        assertThat(enter()).isInstanceOf(SecureEntry.Run.class);
    }

    @Test
    void theSameCpuOnTwoHostCpusAtOnce() { // pv-icptcode
        assertThat(enter()).isInstanceOf(SecureEntry.Run.class);
        assertThat(enter()).isEqualTo(new SecureEntry.Validity(SecureEntry.VIR_ALREADY_RUNNING));
        vg.m.uv.leaveSecure(vg.cpu, TestImages.PSW_MASK, 0x5000, false);
        assertThat(enter()).isEqualTo(new SecureEntry.Run(vg.domain, TestImages.PSW_MASK, 0x5000));
    }

    @Test
    void anExportedPrefixPageIsInterception112UntilReimported() { // pv-icptcode
        for (long page : new long[] {0, 0x1000}) {
            expect(vg.m.call(ConvertFromSecure.of(CONV_FROM_SEC_STOR, vg.host(page))), 1);
            assertThat(enter()).isEqualTo(new SecureEntry.PrefixNotSecure(0));
            vg.importPage(page);
            assertThat(enter()).isInstanceOf(SecureEntry.Run.class);
            vg.m.uv.leaveSecure(vg.cpu, TestImages.PSW_MASK, 0x5000, false);
        }
        assertThat(vg.m.uv.enterSecure(vg.g.handle(), vg.cpu, asce, 0x8000))
                .isEqualTo(new SecureEntry.PrefixNotSecure(0x8000));
    }

    @Test
    void aStoppedOrUnloadedCpuIsValidity() {
        expect(vg.m.setState(vg.cpu, 2), 1);
        assertThat(enter()).isEqualTo(new SecureEntry.Validity(SecureEntry.VIR_NOT_RUNNABLE));
        expect(vg.m.setState(vg.cpu, 1), 1);
        assertThat(enter()).isInstanceOf(SecureEntry.Run.class);
        long second = vg.m.createCpu(vg.g.handle(), 1);
        expect(vg.m.setState(second, 1), 1);
        assertThat(vg.m.uv.enterSecure(vg.g.handle(), second, asce, 0))
                .as("never loaded").isEqualTo(new SecureEntry.Validity(SecureEntry.VIR_NOT_RUNNABLE));
    }

    @Test
    void aGuestRebootNeedsTheWholeResetSequence() { // pv-ipl 2..7 (UV side)
        long done = 0x3000;
        vg.guestWrite(0, ByteBuffer.allocate(8).putLong(0x0008000180000000L | done).array());
        assertThat(enter()).isInstanceOf(SecureEntry.Run.class);
        vg.m.uv.leaveSecure(vg.cpu, TestImages.PSW_MASK, 0x4000, true); // diag 308 subcode 1
        assertThat(enter()).isEqualTo(new SecureEntry.Validity(SecureEntry.VIR_NOT_RUNNABLE));
        expect(vg.m.setState(vg.cpu, 2), 1);
        assertThat(enter()).isInstanceOf(SecureEntry.Validity.class);
        expect(vg.m.nodata(SET_UNSHARE_ALL, vg.g.handle()), 1);
        assertThat(enter()).isInstanceOf(SecureEntry.Validity.class);
        expect(vg.m.nodata(PREPARE_RESET, vg.g.handle()), 1);
        assertThat(enter()).isInstanceOf(SecureEntry.Validity.class);
        expect(vg.m.nodata(CPU_RESET_INITIAL, vg.cpu), 1);
        assertThat(enter()).isInstanceOf(SecureEntry.Validity.class);
        expect(vg.m.setState(vg.cpu, 5), 1);
        assertThat(enter()).isEqualTo(new SecureEntry.Run(vg.domain, 0x0000000180000000L, done));
    }
}
