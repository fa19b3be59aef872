package org.pvsim.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import org.pvsim.se.Be;
import org.pvsim.se.Ipib;
import org.pvsim.se.PagePipeline;
import org.pvsim.se.SeHeader;
import org.pvsim.se.SeHeaderBuilder;
import org.pvsim.se.SeHeaderSecrets;
import org.pvsim.se.Tweak;
import org.pvsim.se.Xts;

/**
 * Writes an SE image in the current Rust pvimg layout, byte for byte (reference §3): short PSW, metadata,
 * stage3a, header at 0x14000, kernel, ramdisk, cmdline, stage3b (each encrypted page by page), IPIB.
 *
 * <p>Streams: the header holding the digests precedes the components, so components go first to their file
 * offsets and the header last. The components go through a {@link PagePipeline}: the calling thread reads,
 * encrypts and writes while a second one computes the page list digest, with a few 256 KiB buffers in
 * flight, so heap use does not grow with the kernel size. Output goes to a temporary file in the target
 * directory that is moved into place only when complete.
 */
public final class SeImageBuilder {
    /** Where everything went, for callers that print or test the layout. */
    public record Result(Path output, SeHeader header, long headerAddress, long ipibAddress, List<Ipib.Component> components) {
    }

    private final BootLoaderBlobs boot;
    private final ImageRandomness random;
    private final LongConsumer progress;

    /** @param progress receives the number of input bytes processed so far (may be called often) */
    public SeImageBuilder(BootLoaderBlobs boot, ImageRandomness random, LongConsumer progress) {
        this.boot = boot;
        this.random = random;
        this.progress = progress == null ? n -> { } : progress;
    }

    /** A planned secured component: its source, its final address and lengths. */
    private record Planned(ComponentKind kind, Path file, byte[] bytes, long size, long address, long paddedSize) {
        long end() {
            return address + paddedSize;
        }
    }

    /** Where the header, the secured components and the IPIB go. */
    private record Layout(long headerAddress, long headerSize, List<Planned> components, long ipibAddress) {
        long stage3bAddress() {
            return components.get(components.size() - 1).address();
        }
    }

    /** The random (or given) keys and tweak prefixes of one image. */
    private record Choices(KeyPair customerKey, byte[] headerKey, byte[] imageKey, byte[] cck, byte[] iv, long[] prefixes) {
        void wipe() {
            Arrays.fill(headerKey, (byte) 0);
            Arrays.fill(imageKey, (byte) 0);
            Arrays.fill(cck, (byte) 0);
        }
    }

    public Result create(ImageSpec spec, Path output, boolean overwrite) throws IOException {
        SeHeaderBuilder.checkKeyCount(spec.hostKeys().size());
        checkKeys(spec);
        Path out = output.toAbsolutePath();
        checkOutput(out, output, overwrite, spec);
        try (BoundedInput.Source kernel = BoundedInput.open(spec.kernel(), BoundedInput.Limit.KERNEL);
                BoundedInput.Source ramdisk = spec.ramdisk() == null ? null
                        : BoundedInput.open(spec.ramdisk(), BoundedInput.Limit.RAMDISK)) {
            return create(spec, kernel, ramdisk, out, output, overwrite);
        }
    }

    private Result create(ImageSpec spec, BoundedInput.Source kernel, BoundedInput.Source ramdisk, Path out,
            Path output, boolean overwrite) throws IOException {
        byte[] stage3a = boot.stage3a();
        Layout layout = plan(spec, kernel, ramdisk, stage3a.length);
        Choices choices = choose(spec, layout);
        PartFile.removeStale(out);
        // owner-only (0600) as pvimg writes images; locked while written, so another create knows it is live
        try (PartFile part = PartFile.create(out, output)) {
            Result result;
            try {
                result = write(part.channel(), part.path(), spec, layout, choices, stage3a);
            } catch (WriteFailure e) {
                throw new IOException("cannot write " + output + ": " + e.getMessage(), e.getCause());
            }
            moveIntoPlace(part.path(), out, output, overwrite);
            part.placed();
            return new Result(out, result.header(), result.headerAddress(), result.ipibAddress(), result.components());
        } finally {
            choices.wipe();
        }
    }

    private static void checkOutput(Path out, Path given, boolean overwrite, ImageSpec spec) {
        boolean exists = OutputTarget.check(given, spec.kernel(), spec.ramdisk(), spec.parmfile());
        if (!Files.isDirectory(out.getParent())) {
            throw new IllegalArgumentException("cannot write " + given + ": no such directory " + out.getParent());
        }
        if (!overwrite && exists) {
            throw new IllegalArgumentException("output " + given + " already exists (use --overwrite to replace it)");
        }
    }

    /** Checks and sizes the inputs and lays the image out as pvimg does. */
    private Layout plan(ImageSpec spec, BoundedInput.Source kernel, BoundedInput.Source ramdisk, int stage3aLength)
            throws IOException {
        long kernelSize = kernel.size();
        if (kernelSize == 0) {
            throw new IllegalArgumentException("kernel " + spec.kernel() + " is empty");
        }
        byte[] cmdline = spec.parmfile() == null ? null : Cmdline.read(spec.parmfile());
        if (spec.componentCheck()) {
            KernelCheck.check(kernel.path(), spec.kernel(), cmdline);
        }
        long ramdiskSize = ramdisk == null ? -1 : ramdisk.size();

        long headerSize = SeHeader.sizeFor(spec.hostKeys().size());
        long headerAddress = Math.max(ImageLayout.pageAlign(ImageLayout.STAGE3A_ADDRESS + stage3aLength),
                ImageLayout.MIN_HEADER_ADDRESS);
        List<Planned> plan = new ArrayList<>();
        long next = ImageLayout.pageAlign(headerAddress + headerSize);
        next = add(plan, ComponentKind.KERNEL, kernel.path(), null, kernelSize, next);
        if (ramdiskSize >= 0) {
            next = add(plan, ComponentKind.RAMDISK, ramdisk.path(), null, ramdiskSize, next);
        }
        if (cmdline != null) {
            next = add(plan, ComponentKind.CMDLINE, null, cmdline, cmdline.length, next);
        }
        byte[] stage3b = renderStage3b(plan);
        next = add(plan, ComponentKind.STAGE3B, null, stage3b, stage3b.length, next);
        return new Layout(headerAddress, headerSize, List.copyOf(plan), next);
    }

    /** Random draws in a fixed order, so a fixed ImageRandomness gives fixed bytes. */
    private Choices choose(ImageSpec spec, Layout layout) {
        KeyPair customerKey = random.customerKey();
        byte[] headerKey = spec.headerKey() != null ? spec.headerKey().clone() : randomBytes(32);
        byte[] imageKey = spec.imageKey() != null ? spec.imageKey().clone() : randomXtsKey();
        byte[] cck = spec.cck() != null ? spec.cck().clone() : randomBytes(32);
        byte[] iv = randomBytes(SeHeader.IV_SIZE);
        long[] prefixes = new long[layout.components().size()];
        for (int i = 0; i < prefixes.length; i++) {
            prefixes[i] = Tweak.prefix(layout.components().get(i).kind().rustType(), randomBytes(6));
        }
        return new Choices(customerKey, headerKey, imageKey, cck, iv, prefixes);
    }

    /** Components first (they give the digests), then header, IPIB, stage3a, short PSW and metadata. */
    private Result write(FileChannel ch, Path file, ImageSpec spec, Layout layout, Choices c, byte[] stage3a)
            throws IOException {
        {
            List<Ipib.Component> ipibComponents = new ArrayList<>();
            for (int i = 0; i < layout.components().size(); i++) {
                Planned p = layout.components().get(i);
                ipibComponents.add(new Ipib.Component(c.prefixes()[i], p.address(), p.paddedSize()));
            }
            PagePipeline.Digests digests = writeComponents(ch, layout.components(), ipibComponents,
                    spec.encrypted() ? new Xts(c.imageKey()) : null);
            SeHeaderSecrets secrets = new SeHeaderSecrets(c.cck(), c.imageKey(), ImageLayout.PSW_MASK_64,
                    spec.pswAddress() != null ? spec.pswAddress() : layout.stage3bAddress(), spec.scf(), 0);
            SeHeader header = new SeHeaderBuilder(spec.hostKeys(), c.customerKey(), c.headerKey(), c.iv(),
                    digests.pages(), spec.pcf(), digests.pld(), digests.ald(), digests.tld(), secrets).build();
            writeAt(ch, header.bytes(), layout.headerAddress());
            writeAt(ch, new Ipib(layout.headerAddress(), layout.headerSize(), 1, ipibComponents).encode(),
                    layout.ipibAddress());
            writeAt(ch, renderStage3a(stage3a, layout.headerAddress(), layout.headerSize(), layout.ipibAddress()),
                    ImageLayout.STAGE3A_ADDRESS);
            byte[] psw = new byte[8];
            Be.putLong(psw, 0, ImageLayout.SHORT_PSW);
            writeAt(ch, psw, 0);
            writeAt(ch, new ImageMetadata(layout.headerAddress(), 1, layout.ipibAddress()).encode(),
                    ImageMetadata.OFFSET);
            try {
                ch.force(true);
            } catch (IOException e) {
                throw new WriteFailure(e);
            }
            return new Result(file, header, layout.headerAddress(), layout.ipibAddress(), List.copyOf(ipibComponents));
        }
    }

    private static void moveIntoPlace(Path tmp, Path out, Path given, boolean overwrite) throws IOException {
        if (overwrite) {
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try {
            Files.move(tmp, out); // checks again that the output does not exist, then renames
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("output " + given + " already exists (use --overwrite to replace it)");
        }
    }

    private static long add(List<Planned> plan, ComponentKind kind, Path file, byte[] bytes, long size, long address) {
        long padded = ImageLayout.pageAlign(Math.max(size, 1));
        plan.add(new Planned(kind, file, bytes, size, address, padded));
        return address + padded;
    }

    private static void checkKeys(ImageSpec spec) {
        checkLength("--cck", spec.cck(), 32);
        checkLength("--hdr-key", spec.headerKey(), 32);
        checkLength("--image-key", spec.imageKey(), 64);
        if (spec.imageKey() != null && Arrays.equals(spec.imageKey(), 0, 32, spec.imageKey(), 32, 64)) {
            throw new IllegalArgumentException("--image-key: the two 32-byte XTS key halves must differ");
        }
        if ((spec.pcf() & ImageSpec.PCF_ALLOW_DUMP) != 0 && spec.cck() == null
                && (spec.scf() & ImageSpec.SCF_CCK_UPDATE) == 0) { // pvimg: --cck or --enable-cck-update
            throw new IllegalArgumentException("dumping (--enable-dump) needs a customer communication key (--cck)");
        }
        if ((spec.scf() & ImageSpec.SCF_CCK_UPDATE) != 0 && (spec.scf() & ImageSpec.SCF_CCK_EXTENSION_SECRET) != 0) {
            throw new IllegalArgumentException("--enable-cck-update and --enable-cck-extension-secret exclude each other");
        }
        if ((spec.scf() & ImageSpec.SCF_CCK_EXTENSION_SECRET) != 0 && spec.cck() == null) {
            throw new IllegalArgumentException(
                    "--enable-cck-extension-secret needs a customer communication key (--cck)");
        }
    }

    private static void checkLength(String what, byte[] key, int len) {
        if (key != null && key.length != len) {
            throw new IllegalArgumentException(what + " must be " + len + " bytes, the file has " + key.length);
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private byte[] randomXtsKey() {
        byte[] k;
        do {
            k = randomBytes(64);
        } while (Arrays.equals(k, 0, 32, k, 32, 64));
        return k;
    }

    /** stage3b with its args: kernel, cmdline, initrd (source address and original size), then the kernel PSW. */
    private byte[] renderStage3b(List<Planned> plan) {
        byte[] s = boot.stage3b();
        int a = boot.stage3bArgsOffset();
        Arrays.fill(s, a, a + 64, (byte) 0);
        for (Planned p : plan) {
            int slot = switch (p.kind()) {
                case KERNEL -> 0;
                case CMDLINE -> 16;
                case RAMDISK -> 32;
                case STAGE3B -> throw new IllegalStateException("stage3b is not an argument of itself");
            };
            Be.putLong(s, a + slot, p.address());
            Be.putLong(s, a + slot + 8, p.size());
        }
        Be.putLong(s, a + 48, ImageLayout.PSW_MASK_64);
        Be.putLong(s, a + 56, ImageLayout.KERNEL_ENTRY);
        return s;
    }

    /** stage3a with its args: header and IPIB offsets relative to the args' own address, and the header size. */
    private byte[] renderStage3a(byte[] s, long headerAddress, long headerSize, long ipibAddress) {
        int a = boot.stage3aArgsOffset();
        long argsAddress = ImageLayout.STAGE3A_ADDRESS + a;
        Be.putLong(s, a, headerAddress - argsAddress);
        Be.putLong(s, a + 8, headerSize);
        Be.putLong(s, a + 16, ipibAddress - argsAddress);
        return s;
    }

    private PagePipeline.Digests writeComponents(FileChannel out, List<Planned> plan, List<Ipib.Component> components,
            Xts xts) throws IOException {
        long[] processed = {0};
        try (PagePipeline pipeline = PagePipeline.streaming()) {
            for (int i = 0; i < plan.size(); i++) {
                Planned p = plan.get(i);
                try (FileChannel in = p.file() == null ? null : FileChannel.open(p.file(), StandardOpenOption.READ)) {
                    pipeline.component(components.get(i), new PagePipeline.Chunks<IOException>() {
                        private int got;

                        @Override
                        public void fill(long offset, byte[] buf, int len) throws IOException {
                            got = SeImageBuilder.fill(p, in, offset, buf, len);
                            Arrays.fill(buf, got, len, (byte) 0);
                        }

                        @Override
                        public void page(long address, byte[] tweak16, byte[] buf, int off) {
                            if (xts != null) {
                                xts.encryptPage(buf, off, buf, off, tweak16);
                            }
                        }

                        // This thread writes; the other one only hashes, the costliest step, so the two
                        // cores are about evenly loaded.
                        @Override
                        public void ready(long offset, byte[] buf, int len) throws IOException {
                            writeAt(out, buf, 0, len, p.address() + offset);
                            processed[0] += got;
                            progress.accept(processed[0]);
                        }
                    });
                }
            }
            return pipeline.digests();
        }
    }

    /** Reads the component's bytes at {@code pos} into {@code buf}; returns how many are real (the rest is padding). */
    private static int fill(Planned p, FileChannel in, long pos, byte[] buf, int len) throws IOException {
        int want = (int) Math.max(0, Math.min(len, p.size() - pos));
        if (p.bytes() != null) {
            System.arraycopy(p.bytes(), (int) pos, buf, 0, want);
            return want;
        }
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, want);
        while (bb.hasRemaining()) {
            if (in.read(bb, pos + bb.position()) < 0) {
                throw new IOException(p.kind().label() + " " + p.file() + " shrank while the image was being written");
            }
        }
        return want;
    }

    private static void writeAt(FileChannel ch, byte[] b, long position) throws IOException {
        writeAt(ch, b, 0, b.length, position);
    }

    private static void writeAt(FileChannel ch, byte[] b, int off, int len, long position) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b, off, len);
        try {
            while (bb.hasRemaining()) {
                ch.write(bb, position + bb.position() - off);
            }
        } catch (IOException e) {
            throw new WriteFailure(e);
        }
    }

    /** The JDK's write errors ("File too large", "No space left on device") do not say which file. */
    private static final class WriteFailure extends IOException {
        WriteFailure(IOException cause) {
            super(cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName(), cause);
        }
    }
}
