package org.pvsim.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.pvsim.se.Be;
import org.pvsim.se.Ipib;
import org.pvsim.se.PageSource;
import org.pvsim.se.SeFormatException;
import org.pvsim.se.SeHeader;

/**
 * Finds and checks the SE header, the IPIB and the component table of an image file, in both layouts
 * (reference §3). Rust pvimg: the SeImgLnx metadata at 0xC000 names both offsets; otherwise the header is
 * searched page by page from 0x14000 for "IBMSecEx" and the IPIB is taken from 0x13000 (C genprotimg) or
 * right after the components (Rust). Every offset and length from the file is checked against its size
 * before use; failures are {@link SeFormatException}s naming the file and the field.
 */
public final class SeImageReader {
    /** pvextract-hdr searches 4 pages from 0x14000. */
    static final int HEADER_SEARCH_PAGES = 4;

    private SeImageReader() {
    }

    public static SeImage read(Path file) throws IOException {
        try (BoundedInput.Source in = BoundedInput.open(file, BoundedInput.Limit.IMAGE)) {
            return read(in);
        }
    }

    /** Parses an opened input (a pipe's copy, say); messages name the user's file. */
    public static SeImage read(BoundedInput.Source in) throws IOException {
        try (FileChannel ch = FileChannel.open(in.path(), StandardOpenOption.READ)) {
            return read(ch, in.name().toString());
        }
    }

    /** Parses from any random-access byte source of the given size (the fuzz test uses byte arrays). */
    public static SeImage read(byte[] image) {
        try {
            return read(new ArrayChannel(image), "image");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    interface Bytes {
        long size() throws IOException;

        void read(long pos, byte[] dst, int off, int len) throws IOException;
    }

    private record ArrayChannel(byte[] b) implements Bytes {
        public long size() {
            return b.length;
        }

        public void read(long pos, byte[] dst, int off, int len) {
            System.arraycopy(b, (int) pos, dst, off, len);
        }
    }

    private static SeImage read(FileChannel ch, String name) throws IOException {
        return read(new Bytes() {
            public long size() throws IOException {
                return ch.size();
            }

            public void read(long pos, byte[] dst, int off, int len) throws IOException {
                readFully(ch, pos, dst, off, len);
            }
        }, name);
    }

    static SeImage read(Bytes in, String name) throws IOException {
        long size = in.size();
        if (size < ImageLayout.MIN_HEADER_ADDRESS + SeHeader.HEAD_SIZE) {
            throw new SeFormatException(name + ": not an SE image: only " + size + " bytes (the SE header alone"
                    + " starts at 0x14000)");
        }
        ImageMetadata meta = null;
        byte[] metaBytes = slice(in, size, ImageMetadata.OFFSET, ImageMetadata.SIZE, name, "image metadata");
        if (ImageMetadata.hasMagic(metaBytes)) {
            try {
                meta = ImageMetadata.parse(metaBytes);
            } catch (SeFormatException e) {
                throw new SeFormatException(name + ": " + e.getMessage());
            }
        }
        long headerAddress = meta != null ? meta.headerOffset() : findHeader(in, size, name);
        SeHeader header = readHeader(in, size, headerAddress, name);

        SeImage.Layout layout;
        long ipibAddress;
        Ipib ipib;
        if (meta != null) {
            layout = SeImage.Layout.PVIMG;
            ipibAddress = meta.ipibOffset();
            ipib = readIpib(in, size, ipibAddress, name);
        } else {
            Ipib c = tryIpib(in, size, ImageLayout.C_IPIB_ADDRESS);
            if (c != null) {
                layout = SeImage.Layout.GENPROTIMG;
                ipibAddress = ImageLayout.C_IPIB_ADDRESS;
                ipib = c;
            } else {
                layout = SeImage.Layout.PVIMG;
                long pages = header.nep();
                long start = ImageLayout.pageAlign(headerAddress + header.size());
                if (pages > size / ImageLayout.PAGE) {
                    throw new SeFormatException(name + ": no IPIB found: not at 0x13000, and nep = " + pages
                            + " pages after the header would run past the end of the file (" + size + " bytes)");
                }
                ipibAddress = start + pages * ImageLayout.PAGE;
                ipib = readIpib(in, size, ipibAddress, name);
            }
        }
        checkIpib(ipib, header, headerAddress, size, name);
        return new SeImage(layout, size, headerAddress, header, ipibAddress, ipib, meta);
    }

    private static long findHeader(Bytes in, long size, String name) throws IOException {
        byte[] magic = new byte[8];
        for (int page = 0; page < HEADER_SEARCH_PAGES; page++) {
            long pos = ImageLayout.MIN_HEADER_ADDRESS + (long) page * ImageLayout.PAGE;
            if (pos + 8 > size) {
                break;
            }
            in.read(pos, magic, 0, 8);
            if (Be.getLong(magic, 0) == SeHeader.MAGIC) {
                return pos;
            }
        }
        throw new SeFormatException(name + ": not an SE image: no SeImgLnx metadata at 0xc000 and no \"IBMSecEx\""
                + " header in the 4 pages from 0x14000");
    }

    private static SeHeader readHeader(Bytes in, long size, long address, String name) throws IOException {
        byte[] head = slice(in, size, address, 16, name, "SE header");
        int hdrSize;
        try {
            hdrSize = SeHeader.declaredSize(head);
        } catch (SeFormatException e) {
            throw new SeFormatException(name + ": at 0x" + Long.toHexString(address) + ": " + e.getMessage());
        }
        byte[] all = slice(in, size, address, hdrSize, name, "SE header");
        try {
            return SeHeader.parse(all);
        } catch (SeFormatException e) {
            throw new SeFormatException(name + ": " + e.getMessage());
        }
    }

    private static Ipib tryIpib(Bytes in, long size, long address) throws IOException {
        if (address + 136 > size) {
            return null;
        }
        byte[] b = new byte[(int) Math.min(ImageLayout.PAGE, size - address)];
        in.read(address, b, 0, b.length);
        if (b[12] != Ipib.PBT_PV) {
            return null;
        }
        try {
            return Ipib.parse(b);
        } catch (SeFormatException e) {
            return null;
        }
    }

    private static Ipib readIpib(Bytes in, long size, long address, String name) throws IOException {
        byte[] lenField = slice(in, size, address, 4, name, "IPIB");
        long len = Integer.toUnsignedLong(Be.getInt(lenField, 0));
        if (len > ImageLayout.PAGE) {
            throw new SeFormatException(name + ": IPIB at 0x" + Long.toHexString(address) + " has length " + len
                    + ", more than one page");
        }
        byte[] b = slice(in, size, address, (int) Math.max(len, 136), name, "IPIB");
        try {
            return Ipib.parse(b);
        } catch (SeFormatException e) {
            throw new SeFormatException(name + ": at 0x" + Long.toHexString(address) + ": " + e.getMessage());
        }
    }

    private static void checkIpib(Ipib ipib, SeHeader header, long headerAddress, long size, String name) {
        if (ipib.headerSize() != header.size()) {
            // a 64-bit field from the image: unsigned hex, so a corrupted one is readable (not a negative number)
            throw new SeFormatException(String.format("%s: IPIB says the SE header is 0x%x bytes, the header says 0x%x",
                    name, ipib.headerSize(), header.size()));
        }
        if (ipib.headerAddress() != 0 && ipib.headerAddress() != headerAddress) {
            throw new SeFormatException(String.format("%s: IPIB says the SE header is at 0x%x, it is at 0x%x",
                    name, ipib.headerAddress(), headerAddress));
        }
        int i = 0;
        for (Ipib.Component c : ipib.components()) {
            String what = String.format("%s: IPIB component %d (address 0x%x, length 0x%x)", name, i++,
                    c.address(), c.length());
            if (c.address() % ImageLayout.PAGE != 0 || c.length() % ImageLayout.PAGE != 0 || c.length() <= 0) {
                throw new SeFormatException(what + " is not page aligned or empty");
            }
            if (c.address() < 0 || c.address() > size || c.length() > size - c.address()) {
                throw new SeFormatException(what + " lies outside the file (" + size + " bytes)");
            }
        }
    }

    private static byte[] slice(Bytes in, long size, long pos, int len, String name, String what) throws IOException {
        if (pos < 0 || pos > size || len > size - pos) {
            throw new SeFormatException(String.format("%s: %s at 0x%x (%d bytes) lies outside the file (%d bytes)",
                    name, what, pos, len, size));
        }
        byte[] b = new byte[len];
        in.read(pos, b, 0, len);
        return b;
    }

    static void readFully(FileChannel ch, long pos, byte[] dst, int off, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(dst, off, len);
        while (bb.hasRemaining()) {
            if (ch.read(bb, pos + bb.position() - off) < 0) {
                throw new IOException("unexpected end of file at " + (pos + bb.position() - off));
            }
        }
    }

    /** A {@link PageSource} over an open image file (ranges were checked by {@link #read}). */
    public static PageSource pageSource(FileChannel ch) {
        return (address, dst, off, len) -> {
            try {
                readFully(ch, address, dst, off, len);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
