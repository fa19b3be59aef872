package org.pvsim.machine.uv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvsim.machine.uv.HostCallConformanceTest.expect;
import static org.pvsim.machine.uv.cb.UvCommand.*;

import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.ConvertFromSecure;
import org.pvsim.machine.uv.cb.DumpComplete;
import org.pvsim.machine.uv.cb.DumpCpu;
import org.pvsim.machine.uv.cb.DumpStorState;
import org.pvsim.machine.uv.cb.Share;

/** DUMP_INIT, DUMP_CONF_STOR_STATE, DUMP_CPU, DUMP_COMPLETE; and the owner decrypting the dump. */
class DumpConformanceTest {
    static final long DUMP_PCF = 0xe0 | 1L << (63 - 34);

    @Test
    void dumpingNeedsThePcfBit() {
        VerifiedGuest vg = new VerifiedGuest(new UvFixture(), 0xe0);
        expect(vg.m.nodata(DUMP_INIT, vg.g.handle()), 0x0102);
        expect(vg.m.nodata(DUMP_INIT, vg.g.handle() + 1), 0x0020);
    }

    @Test
    void dumpCallsBeforeInitOrOnAnUnverifiedGuestAreInvalidState() {
        VerifiedGuest vg = new VerifiedGuest(new UvFixture(), DUMP_PCF);
        long area = vg.m.alloc(1 << 16, 4096);
        expect(vg.m.call(DumpStorState.of(vg.g.handle(), area, 0)), 0x0003);
        expect(vg.m.call(DumpCpu.of(vg.cpu, area)), 0x0003);
        expect(vg.m.call(DumpComplete.of(vg.g.handle(), area)), 0x0003);
        UvFixture.Guest fresh = vg.m.createGuest(1L << 20);
        expect(vg.m.nodata(DUMP_INIT, fresh.handle()), 0x0003);
    }

    @Test
    void theOwnerCanDecryptTheDumpAndNobodyElseCan() throws Exception {
        VerifiedGuest vg = new VerifiedGuest(new UvFixture(), DUMP_PCF);
        UvFixture m = vg.m;
        byte[] secret = "the guest's secret, readable only by the image owner".getBytes();
        vg.guestWrite(0x500000, secret);
        vg.guestWrite(0x501000, new byte[] {1});
        expect(vg.guestCall(Share.of(SET_SHARED_ACCESS, 0x501000), 0x502000), 1);
        expect(m.nodata(DUMP_INIT, vg.g.handle()), 1);
        expect(m.nodata(DUMP_INIT, vg.g.handle()), 0x0003);
        // the host exports what it dumps (it can only read ciphertext)
        expect(m.call(ConvertFromSecure.of(CONV_FROM_SEC_STOR, vg.host(0x500000))), 1);
        byte[] cipher = m.storage.read(vg.host(0x500000), 4096, Storage.HOST);
        assertThat(new String(cipher, 0, secret.length, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("secret");

        long stateLen = m.qui.confDumpStorageStateLen();
        long area = m.alloc(stateLen, 4096);
        expect(m.call(DumpStorState.of(vg.g.handle(), area, 0x500000 + 4096)), 0x0103); // not 1 MiB aligned
        expect(m.call(DumpStorState.of(vg.g.handle(), m.storage.size() - 16, 0x500000)), 0x0103);
        expect(m.call(DumpStorState.of(vg.g.handle(), area, 0x500000)), 1);
        ByteBuffer st = ByteBuffer.wrap(m.storage.read(area, (int) stateLen, Storage.HOST));
        assertThat(st.get(0)).as("exported").isEqualTo((byte) 3);
        assertThat(st.get(32)).as("shared").isEqualTo((byte) 2);
        assertThat(st.get(64)).as("secure (block page)").isEqualTo((byte) 1);
        assertThat(st.get(96)).as("never imported").isEqualTo((byte) 0);
        byte[] iv = Arrays.copyOfRange(st.array(), 4, 16);
        byte[] tag = Arrays.copyOfRange(st.array(), 16, 32);

        long cpuArea = m.alloc(m.qui.cpuStorLen(), 4096);
        expect(m.call(DumpCpu.of(vg.cpu + 1, cpuArea)), 0x0021);
        expect(m.call(DumpCpu.of(vg.cpu, cpuArea)), 1);
        long finArea = m.alloc(m.qui.confDumpFinalizeLen(), 4096);
        expect(m.call(DumpComplete.of(vg.g.handle(), finArea)), 1);
        expect(m.call(DumpComplete.of(vg.g.handle(), finArea)), 0x0003);

        // the owner: CCK from the image, CUID and wrapped key from the completion data
        ByteBuffer fin = ByteBuffer.wrap(m.storage.read(finArea, (int) m.qui.confDumpFinalizeLen(), Storage.HOST));
        assertThat(new String(fin.array(), 0, 8, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PVSIMDMP");
        byte[] cuid = Arrays.copyOfRange(fin.array(), 16, 32);
        byte[] dumpKey = DumpCalls.dumpKey(vg.image.secrets().cck(), vg.image.header().tag(), cuid);
        byte[] exportKey = gcmOpen(dumpKey, Arrays.copyOfRange(fin.array(), 32, 44), new byte[0],
                Arrays.copyOfRange(fin.array(), 44, 92));
        byte[] aad = ByteBuffer.allocate(16).putLong(vg.g.handle()).putLong(0x500000).array();
        byte[] plain = gcmOpen(exportKey, iv, aad, concat(cipher, tag));
        assertThat(Arrays.copyOf(plain, secret.length)).isEqualTo(secret);

        byte[] cpuDump = m.storage.read(cpuArea, (int) m.qui.cpuStorLen(), Storage.HOST);
        byte[] cpuPlain = gcmOpen(dumpKey, Arrays.copyOf(cpuDump, 12), new byte[0],
                Arrays.copyOfRange(cpuDump, 12, cpuDump.length));
        ByteBuffer cp = ByteBuffer.wrap(cpuPlain);
        assertThat(cp.getLong(8)).as("PSW mask").isEqualTo(TestImages.PSW_MASK);
        assertThat(cp.getLong(16)).as("PSW address").isEqualTo(vg.image.components().get(2).gaddr());

        // a wrong CCK gets nothing
        byte[] wrongCck = vg.image.secrets().cck();
        wrongCck[0] ^= 1;
        byte[] wrongKey = DumpCalls.dumpKey(wrongCck, vg.image.header().tag(), cuid);
        assertThat(gcmOpenOrNull(wrongKey, Arrays.copyOfRange(fin.array(), 32, 44),
                Arrays.copyOfRange(fin.array(), 44, 92))).isNull();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static byte[] gcmOpen(byte[] key, byte[] iv, byte[] aad, byte[] ctAndTag) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        c.updateAAD(aad);
        return c.doFinal(ctAndTag);
    }

    static byte[] gcmOpenOrNull(byte[] key, byte[] iv, byte[] ctAndTag) {
        try {
            return gcmOpen(key, iv, new byte[0], ctAndTag);
        } catch (Exception e) {
            return null;
        }
    }
}
