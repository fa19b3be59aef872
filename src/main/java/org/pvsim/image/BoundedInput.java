package org.pvsim.image;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one way pvsim reads a file the user names. Every input has a {@link Limit}: a regular file is
 * size-checked before a byte is read, anything else (a pipe, /dev/zero, a /proc file that reports size 0)
 * is streamed and stops one byte past its limit, so no input can fill the heap or pass as empty. Every
 * failure is one line naming the file, what it was meant to be and, for size, the limit.
 */
public final class BoundedInput {
    /** Java arrays stop a little short of 2 GiB; whole-file reads are bounded by this too. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /**
     * What an input is and how much of it pvsim reads.
     *
     * @param what        the input's name in messages ("host-key document", "ramdisk")
     * @param maxBytes    the largest regular file accepted
     * @param maxStreamed the most read from a pipe or device (copied to a temporary file when large)
     */
    public record Limit(String what, long maxBytes, long maxStreamed) {
        public Limit {
            if (maxBytes < 0 || maxStreamed < 0 || maxStreamed > maxBytes) {
                throw new IllegalArgumentException("bad limit for " + what);
            }
        }

        /** A small input read whole: the same limit whatever the file is. */
        public static Limit of(String what, long maxBytes) {
            return new Limit(what, maxBytes, maxBytes);
        }

        public static final Limit CERTIFICATE = of("certificate", 1L << 20);
        public static final Limit HOST_KEY_DOCUMENT = of("host-key document", 1L << 20);
        public static final Limit CRL = of("CRL", 16L << 20);
        public static final Limit PRIVATE_KEY = of("host key", 64L << 10);
        public static final Limit PARMFILE = of("parmfile", 1L << 20);
        public static final Limit REQUEST = of("request", 1L << 20);
        public static final Limit SECRET = of("secret", 64L << 10);
        /** Kernels, ramdisks and SE images are streamed from regular files; pipes are copied, up to 1 GiB. */
        public static final Limit KERNEL = new Limit("kernel", 16L << 30, 1L << 30);
        public static final Limit RAMDISK = new Limit("ramdisk", 16L << 30, 1L << 30);
        public static final Limit IMAGE = new Limit("SE image", 64L << 30, 1L << 30);

        /** A raw key file of exactly {@code size} bytes: a little more is read, to say how long a wrong one is. */
        public static Limit rawKey(String what, int size) {
            return of(what, Math.max(size, 4096));
        }
    }

    private BoundedInput() {
    }

    /** The whole file, at most {@code limit.maxBytes()} (which must fit an array). */
    public static byte[] readAll(Path p, Limit limit) throws IOException {
        return readAll(p, limit, size -> tooLarge(p, limit, limit.maxBytes(), size));
    }

    /**
     * A program to load into {@code memoryBytes} of memory, read whole: one that cannot fit is refused by its
     * size before it is read (an ELF's or flat binary's bytes all go to memory or are not needed).
     */
    public static byte[] readProgram(Path p, String what, long memoryBytes) throws IOException {
        long max = Math.min(memoryBytes, MAX_ARRAY);
        return readAll(p, Limit.of(what, max), size -> new IllegalArgumentException(p + ": "
                + (size >= 0 ? size + " bytes do" : "more than " + max + " bytes read, which do") + " not fit in "
                + memoryBytes + " bytes of memory" + (max < memoryBytes ? " (and pvsim reads at most " + max
                + " bytes of a " + what + ")" : "")));
    }

    private static byte[] readAll(Path p, Limit limit, java.util.function.LongFunction<RuntimeException> tooLarge)
            throws IOException {
        if (limit.maxBytes() > MAX_ARRAY) {
            throw new IllegalArgumentException(limit.what() + ": limit too large to read into memory");
        }
        BasicFileAttributes a = attributes(p, limit);
        if (a.isRegularFile() && a.size() > limit.maxBytes()) {
            throw tooLarge.apply(a.size());
        }
        try (InputStream in = Files.newInputStream(p)) {
            // readNBytes grows its buffer with what it gets, so a huge limit costs nothing for a small file
            byte[] b = in.readNBytes((int) limit.maxBytes() + 1);
            if (b.length > limit.maxBytes()) {
                throw tooLarge.apply(-1);
            }
            return b;
        } catch (IOException e) {
            throw describe(e, p, limit);
        }
    }

    /**
     * A file to read at random: a regular file as it is (size-checked), anything else copied (bounded) to a
     * temporary file that {@link Source#close()} removes.
     */
    public static Source open(Path p, Limit limit) throws IOException {
        BasicFileAttributes a = attributes(p, limit);
        if (!a.isRegularFile()) {
            refuseEndless(p, limit);
        }
        if (a.isRegularFile()) {
            if (a.size() > limit.maxBytes()) {
                throw tooLarge(p, limit, limit.maxBytes(), a.size());
            }
            if (a.size() > 0) { // /proc and /sys files say 0 and have content: copied like a pipe
                return new Source(p, p, a.size(), false);
            }
        }
        Path spool = Files.createTempFile("pvsim-input-", ".spool");
        TemporaryFiles.register(spool);
        boolean ok = false;
        try (InputStream in = Files.newInputStream(p); OutputStream out = Files.newOutputStream(spool)) {
            long n = copy(in, out, limit.maxStreamed() + 1);
            if (n > limit.maxStreamed()) {
                throw tooLarge(p, limit, limit.maxStreamed(), -1);
            }
            ok = true;
            return new Source(p, spool, n, true);
        } catch (IOException e) {
            throw describe(e, p, limit);
        } finally {
            if (!ok) {
                TemporaryFiles.delete(spool);
            }
        }
    }

    /** An input ready for random access: {@code path()} is the file to open, {@code name()} the user's. */
    public static final class Source implements Closeable {
        private final Path name;
        private final Path path;
        private final long size;
        private final boolean spooled;

        private Source(Path name, Path path, long size, boolean spooled) {
            this.name = name;
            this.path = path;
            this.size = size;
            this.spooled = spooled;
        }

        public Path name() {
            return name;
        }

        public Path path() {
            return path;
        }

        public long size() {
            return size;
        }

        @Override
        public void close() {
            if (spooled) {
                TemporaryFiles.delete(path);
            }
        }
    }

    /**
     * A device or socket named as a big input is refused at once: /dev/zero or /dev/urandom never end, so
     * copying it up to the streamed limit (a GiB) would only delay the refusal, and a disk or a terminal is not
     * what a kernel, ramdisk or image is given as. A pipe ({@code <(cat img)}, /dev/stdin) is streamed.
     */
    private static void refuseEndless(Path p, Limit limit) {
        String kind = SpecialKind.of(p);
        if (kind != null) {
            throw new IllegalArgumentException(p + ": is a " + kind + " (give the " + limit.what()
                    + " as a regular file or a pipe)");
        }
    }

    private static long copy(InputStream in, OutputStream out, long max) throws IOException {
        byte[] buf = new byte[1 << 16];
        long total = 0;
        while (total < max) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, max - total));
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }

    private static BasicFileAttributes attributes(Path p, Limit limit) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
            throw describe(e, p, limit);
        }
        if (a.isDirectory()) {
            throw new IllegalArgumentException(p + ": is a directory, not a " + limit.what());
        }
        return a;
    }

    private static IllegalArgumentException tooLarge(Path p, Limit limit, long max, long size) {
        String got = size >= 0 ? size + " bytes, more" : "more";
        String from = max < limit.maxBytes() ? " read from a pipe or device (give a regular file for more)" : "";
        return new IllegalArgumentException(p + ": " + got + " than the " + Sizes.describe(max) + " limit for a "
                + limit.what() + from);
    }

    /** The JDK's exceptions carry the path only; ours say what the file was meant to be. */
    static IOException describe(IOException e, Path p, Limit limit) {
        String what = " (" + limit.what() + ")";
        if (e instanceof NoSuchFileException) {
            return new NoSuchFileException(p + what);
        }
        if (e instanceof AccessDeniedException) {
            return new AccessDeniedException(p + what);
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return new IOException(p + ": cannot read: " + f.getReason() + what, e);
        }
        if (e.getMessage() != null && e.getMessage().startsWith(p.toString())) {
            return e;
        }
        return new IOException(p + ": cannot read: " + e.getMessage() + what, e);
    }
}
