package org.pvsim.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pvsim.kvm.KvmUapi.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.image.SeImage;
import org.pvsim.image.SeImageReader;
import org.pvsim.image.TestImages;
import org.pvsim.machine.storage.Storage;
import org.pvsim.machine.uv.cb.UvCommand;

/**
 * A secret planted in the guest's (encrypted) kernel is plaintext only in secure pages after UNPACK. The
 * host then reads every byte it can reach through every host path: the VMM's view of guest RAM, VM and
 * vCPU memory operations, the kernel's own access to every frame of storage (resolving 0x3d as Linux
 * does), before and after DISABLE and destroy. The secret never shows; a control run on a non-protected
 * VM shows the scan does find it when it is there.
 */
class ConfidentialityTest {
    private static final byte[] SECRET = "TOP-SECRET: the guest's private key 7f3a91c0e5d2b84a".getBytes();
    private static final long STORAGE = (2L << 30) + (128L << 20); // room for the UV's base storage at 2 GiB
    private static final int SECRET_OFFSET = 0x11100; // inside the kernel, away from its header
    private static byte[] imageBytes;
    private static SeImage image;
    private static byte[] kernel;

    @BeforeAll
    static void buildImage(@TempDir Path dir) throws IOException {
        Path k = TestImages.kernel(dir, 0x14000, 11);
        kernel = Files.readAllBytes(k);
        System.arraycopy(SECRET, 0, kernel, SECRET_OFFSET, SECRET.length);
        Files.write(k, kernel);
        Path out = dir.resolve("secret.img");
        TestImages.build(TestImages.spec(k, null, null, List.of(TestImage.HOST)), out);
        imageBytes = Files.readAllBytes(out);
        image = SeImageReader.read(out);
        assertThat(contains(imageBytes, SECRET)).as("the image itself is encrypted").isFalse();
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            if (hay[i] != needle[0]) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Everything the host can read, path by path; returns the number of places the secret was seen. */
    private static int scan(KvmFixture f, KvmFixture.Guest g, long guestBytes, boolean allStorage) {
        int hits = 0;
        // 1. the VMM's own mapping of guest RAM (a page at a time, so one refused page does not hide others)
        for (long off = 0; off < guestBytes; off += Storage.PAGE_SIZE) {
            hits += contains(g.mm().read(g.mem() + off, Storage.PAGE_SIZE), SECRET) ? 1 : 0;
        }
        // 2. VM memory operations on guest absolute storage (refused while protected)
        long buf = g.mm().mmap(Storage.PAGE_SIZE);
        for (long a = 0; a < guestBytes && !g.vm().isClosed(); a += Storage.PAGE_SIZE) {
            try {
                g.vm().memOp(KvmS390MemOp.absolute(KVM_S390_MEMOP_ABSOLUTE_READ, a, Storage.PAGE_SIZE, buf));
                hits += contains(g.mm().read(buf, Storage.PAGE_SIZE), SECRET) ? 1 : 0;
            } catch (KvmException e) {
                assertThat(e.errno()).isEqualTo(Errno.EINVAL);
            }
        }
        // 3. the SIDA of every vCPU
        if (!g.vm().isClosed()) {
            for (KvmVcpu v : g.vm().vcpus()) {
                try {
                    v.memOp(KvmS390MemOp.sida(KVM_S390_MEMOP_SIDA_READ, 0, Storage.PAGE_SIZE, buf));
                    hits += contains(g.mm().read(buf, Storage.PAGE_SIZE), SECRET) ? 1 : 0;
                } catch (KvmException e) {
                    assertThat(e.errno()).isEqualTo(Errno.EINVAL); // not protected: no SIDA
                }
            }
        }
        // 4. the kernel reading every frame of storage, handling 0x3d like do_secure_storage_access()
        if (!allStorage) {
            return hits;
        }
        byte[] page = new byte[Storage.PAGE_SIZE];
        long refused = 0;
        for (long a = 0; a < STORAGE; a += Storage.PAGE_SIZE) {
            try {
                f.kvm.pages.read("scan", a, page, 0, page.length);
                hits += contains(page, SECRET) ? 1 : 0;
            } catch (KvmException e) {
                refused++; // UV-owned storage: never readable by the host
            }
        }
        assertThat(refused * Storage.PAGE_SIZE).as("only donated storage is unreadable")
                .isEqualTo(f.kvm.stats().bytesInUse().get(HostFrameAllocator.Use.UV_DONATION));
        return hits;
    }

    @Test
    void theSecretNeverReachesTheHost() {
        KvmFixture f = new KvmFixture(STORAGE, Kvm.Options.defaults());
        KvmFixture.Guest g = f.guest(2, 2);
        g.boot(imageBytes, image);
        assertThat(f.calls(UvCommand.VERIFY_IMG)).singleElement().matches(e -> e.cc() == 0);

        assertThat(scan(f, g, 2L << 20, true)).isZero();
        assertThat(f.calls(UvCommand.CONV_FROM_SEC_STOR)).as("secure pages were exported, not peeked")
                .isNotEmpty().allMatch(e -> e.cc() == 0);
        assertThat(scan(f, g, 2L << 20, false)).as("a second pass sees the same ciphertext").isZero();

        g.pv(KVM_PV_DISABLE);
        assertThat(scan(f, g, 2L << 20, false)).isZero();
        g.vm().destroy();
        assertThat(scan(f, g, 2L << 20, false)).isZero();
        g.mm().munmap(g.mem());
        assertThat(scan(f, g, 0, true)).isZero();
    }

    @Test
    void theScanFindsTheSecretWhenTheGuestIsNotProtected() {
        KvmFixture f = new KvmFixture(STORAGE, Kvm.Options.defaults());
        KvmFixture.Guest g = f.guest(2, 1);
        g.mm().write(g.mem() + 0x10000, kernel); // a plain guest loaded with the plaintext kernel
        assertThat(scan(f, g, 2L << 20, true)).isGreaterThanOrEqualTo(3); // user mapping, MEM_OP, kernel
    }
}
