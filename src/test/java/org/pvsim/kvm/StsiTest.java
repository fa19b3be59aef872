package org.pvsim.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pvsim.machine.SieBlock;
import org.pvsim.machine.SimulatedMachine;

/** STSI in a normal guest under KVM_RUN: the kernel answers level 3 and builds 3.2.2 itself (handle_stsi). */
class StsiTest {
    /*
     * At 0x10000: lghi 5,0x3000; lghi 0,0; stsi 0(5); lgr 6,0 (level); ipm 8
     *   llilh 0,0x3000; oill 0,2; lghi 1,2; stsi 0(5); ipm 7 (3.2.2)
     *   llilh 0,0x1000; oill 0,0x11; lghi 1,1; stsi 0(5); ipm 9 (1.1.1: the host's, not available)
     *   lpswe 0xe00 (a disabled wait: KVM_RUN returns to user space; the program new PSW is one too)
     */
    static final String CODE = "a7593000 a7090000 b27d5000 b9040060 b2220080"
            + "a50e3000 a50b0002 a7190002 b27d5000 b2220070"
            + "a50e1000 a50b0011 a7190001 b27d5000 b2220090"
            + "b2b20e00";

    @Test
    @Timeout(60)
    void level3AndTheKernels322ForANormalGuest() {
        SimulatedMachine machine = SimulatedMachine.create(1L << 31, List.of(TestImage.hostKey()));
        Kvm kvm = Kvm.boot(machine, Kvm.Options.defaults());
        KvmVm vm = kvm.createVm();
        long mem = kvm.mm().mmap(1L << 20);
        vm.setUserMemoryRegion(new KvmUserspaceMemoryRegion(0, 0, 0, 1L << 20, mem));
        KvmVcpu vcpu = vm.createVcpu(0);
        vm.createVcpu(1);
        byte[] image = new byte[0x10100];
        ByteBuffer.wrap(image).putLong(0xe00, 0x0002000180000000L).putLong(0xe08, 0xfff)
                .putLong(0x1d0, 0x0002000180000000L).putLong(0x1d8, 0xdead);
        byte[] code = HexFormat.of().parseHex(CODE.replace(" ", ""));
        System.arraycopy(code, 0, image, 0x10000, code.length);
        kvm.mm().write(mem, image);
        vcpu.setMpState(KvmUapi.KVM_MP_STATE_OPERATING);
        KvmRun run = new KvmRun();
        run.pswMask = 0x0000000180000000L;
        run.pswAddr = 0x10000;
        vcpu.run(run);

        assertThat(run.icptcode).as("the disabled wait, nothing in between").isEqualTo(SieBlock.ICPT_WAIT);
        assertThat(run.pswAddr).as("the end, not a program interruption").isEqualTo(0xfff);
        assertThat(run.gprs[6] >>> 28 & 0xf).as("function code 0: level").isEqualTo(3);
        assertThat(run.gprs[8] >>> 28 & 3).as("cc of function code 0").isZero();
        assertThat(run.gprs[7] >>> 28 & 3).as("cc of 3.2.2").isZero();
        assertThat(run.gprs[9] >>> 28 & 3).as("cc of 1.1.1").isEqualTo(3);
        ByteBuffer sysib = ByteBuffer.wrap(kvm.mm().read(mem + 0x3000, 4096));
        assertThat(sysib.get(31)).as("one VM").isEqualTo((byte) 1);
        assertThat(sysib.getShort(36)).as("total CPUs").isEqualTo((short) 2);
        assertThat(sysib.getShort(38)).as("configured CPUs").isEqualTo((short) 2);
        Charset ebcdic = Charset.forName("IBM037");
        assertThat(new String(sysib.array(), 44, 8, ebcdic)).isEqualTo("KVMguest");
        assertThat(new String(sysib.array(), 56, 16, ebcdic)).isEqualTo("KVM/Linux       ");
        assertThat(sysib.getInt(52)).as("capability-adjustment factor").isEqualTo(1000);
    }
}
