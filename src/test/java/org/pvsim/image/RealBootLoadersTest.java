package org.pvsim.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.se.HeaderCrypto;
import org.pvsim.se.SeHeaderSecrets;
import org.pvsim.se.Tweak;
import org.pvsim.se.Xts;

/** Images with pvsim's real stage3a/stage3b: the patched loaders equal what BootLoaders itself renders. */
class RealBootLoadersTest {
    @TempDir
    Path dir;

    @Test
    void patchedLoadersMatchBootLoadersOwnRendering() throws Exception {
        Path kernel = TestImages.kernel(dir, 0x20000, 11);
        Path initrd = TestImages.file(dir, "initrd", new byte[5000]);
        Path parm = TestImages.file(dir, "parm", "console=ttysclp0".getBytes());
        Path out = dir.resolve("real.img");
        var res = new SeImageBuilder(BootLoaderBlobs.standard(), ImageRandomness.secure(), null)
                .create(TestImages.spec(kernel, initrd, parm, List.of(TestImages.HOST)), out, false);
        byte[] img = Files.readAllBytes(out);

        long args = BootLoaders.stage3aArgsAddress();
        byte[] expected3a = BootLoaders.stage3aWithArgs(res.headerAddress() - args, res.header().size(),
                res.ipibAddress() - args);
        assertThat(Arrays.copyOfRange(img, 0x10000, 0x10000 + expected3a.length)).isEqualTo(expected3a);

        SeHeaderSecrets s = HeaderCrypto.open(res.header(), (ECPrivateKey) TestImages.HOST.getPrivate());
        var comps = res.components();
        var stage3b = comps.get(3);
        byte[] plain = new byte[(int) stage3b.length()];
        Xts xts = new Xts(s.xtsKey());
        for (int p = 0; p < plain.length; p += 4096) {
            xts.decryptPage(img, (int) stage3b.address() + p, plain, p, Tweak.of(stage3b.tweakPrefix(), p));
        }
        byte[] expected3b = BootLoaders.stage3bWithArgs(comps.get(0).address(), Files.size(kernel),
                comps.get(2).address(), "console=ttysclp0".length() + 1, comps.get(1).address(), 5000,
                ImageLayout.PSW_MASK_64, BootLoaders.KERNEL_ADDRESS);
        assertThat(Arrays.copyOf(plain, expected3b.length)).isEqualTo(expected3b);
        assertThat(s.pswAddress()).isEqualTo(stage3b.address());
        SeImageVerifier.verify(out, (ECPrivateKey) TestImages.HOST.getPrivate());
    }
}
