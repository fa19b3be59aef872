package org.pvsim.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.pvsim.image.BoundedInput;
import org.pvsim.image.SeImageReader;
import org.pvsim.se.SeFormatException;
import org.pvsim.se.SeHeader;

/** pvsecret's and pvattest's --hdr: an SE header (as pvextract-hdr writes it) or a whole SE image. */
final class SeHeaderFiles {
    private SeHeaderFiles() {
    }

    static SeHeader read(Path p) throws IOException {
        try (BoundedInput.Source in = BoundedInput.open(p, BoundedInput.Limit.IMAGE);
                FileChannel ch = FileChannel.open(in.path(), StandardOpenOption.READ)) {
            byte[] head = readAt(ch, 0, (int) Math.min(16, in.size()));
            if (head.length >= 8 && ByteBuffer.wrap(head).getLong(0) == SeHeader.MAGIC) {
                try {
                    int size = SeHeader.declaredSize(head);
                    if (size > in.size()) {
                        throw new SeFormatException("the header says " + size + " bytes, the file has " + in.size());
                    }
                    return SeHeader.parse(readAt(ch, 0, size));
                } catch (SeFormatException e) {
                    throw new IllegalArgumentException("SE header " + p + ": " + e.getMessage(), e);
                }
            }
            try {
                return SeImageReader.read(in).header();
            } catch (SeFormatException e) {
                throw new IllegalArgumentException("--hdr " + p + ": neither an SE header nor an SE image: "
                        + e.getMessage(), e);
            }
        }
    }

    private static byte[] readAt(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(len);
        while (bb.hasRemaining() && ch.read(bb, pos + bb.position()) > 0) {
            // until full or at the end
        }
        return bb.array();
    }
}
