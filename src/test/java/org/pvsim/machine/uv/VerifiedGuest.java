package org.pvsim.machine.uv;

import static org.pvsim.machine.uv.HostCallConformanceTest.expect;

import java.security.interfaces.ECPublicKey;
import java.util.List;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.ConvertToSecure;
import org.pvsim.machine.uv.cb.SetSecConfParams;
import org.pvsim.machine.uv.cb.UvCaller;
import org.pvsim.machine.uv.cb.UvCommand;
import org.pvsim.machine.uv.cb.Unpack;
import org.pvsim.machine.uv.cb.Uvcb;

/** A secure guest booted the KVM way: create, set params, unpack, verify, one CPU loaded. */
final class VerifiedGuest {
    final UvFixture m;
    final UvFixture.Guest g;
    final TestImages.Image image;
    final int domain;
    final long cpu;

    VerifiedGuest(UvFixture m, long pcf) {
        this(m, pcf, 0);
    }

    VerifiedGuest(UvFixture m, long pcf, long scf) {
        this.m = m;
        m.init();
        g = m.createGuest(16L << 20);
        domain = m.storage.ownerOf(g.cgc().confBaseStorOrigin() >>> 12);
        List<ECPublicKey> keys = m.state.identity.hostKeys().stream().map(HostKey::publicKey).toList();
        image = TestImages.build(m.storage, g.mem()::host, keys, pcf, scf, TestImages.components(3, 4));
        long hdr = m.alloc(8192, 4096);
        byte[] h = image.headerBytes();
        m.storage.write(hdr, h, 0, h.length, Storage.HOST);
        expect(m.call(SetSecConfParams.of(g.handle(), hdr, h.length)), 1);
        for (TestImages.Component c : image.components()) {
            for (int p = 0; p < c.pages(); p++) {
                expect(m.call(Unpack.of(g.handle(), c.gaddr() + p * 4096L, c.prefix(), p * 4096L)), 1);
            }
        }
        expect(m.nodata(UvCommand.VERIFY_IMG, g.handle()), 1);
        cpu = m.createCpu(g.handle(), 0);
        expect(m.setState(cpu, 5), 1);
    }

    long host(long gaddr) {
        return g.mem().host(gaddr);
    }

    void importPage(long gaddr) {
        expect(m.call(ConvertToSecure.of(UvCommand.CONV_TO_SEC_STOR, g.handle(), gaddr)), 1);
    }

    /** Writes bytes as the guest (pages imported first). */
    void guestWrite(long gaddr, byte[] b) {
        for (long p = gaddr & ~0xfffL; p < gaddr + b.length; p += 4096) {
            importPage(p);
        }
        m.storage.write(host(gaddr), b, 0, b.length, domain);
    }

    byte[] guestRead(long gaddr, int len) {
        return m.storage.read(host(gaddr), len, domain);
    }

    <T extends Uvcb> UvCaller.Answer<T> guestCall(T cb, long blockGaddr) {
        importPage(blockGaddr);
        cb.write(m.storage, host(blockGaddr), domain);
        int cc = m.uv.call(blockGaddr, domain);
        @SuppressWarnings("unchecked")
        T back = (T) Uvcb.read(cb.getClass(), m.storage, host(blockGaddr), domain);
        return new UvCaller.Answer<>(cc, back);
    }
}
