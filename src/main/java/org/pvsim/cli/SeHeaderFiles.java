package org.pvsim.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.pvsim.image.SeImageReader;
import org.pvsim.se.SeFormatException;
import org.pvsim.se.SeHeader;

/** pvsecret's and pvattest's --hdr: an SE header (as pvextract-hdr writes it) or a whole SE image. */
final class SeHeaderFiles {
    private SeHeaderFiles() {
    }

    static SeHeader read(Path p) throws IOException {
        byte[] head = ImageKeyFiles.read(p, "SE header");
        if (head.length >= 8 && java.nio.ByteBuffer.wrap(head).getLong(0) == SeHeader.MAGIC) {
            try {
                int size = SeHeader.declaredSize(head);
                if (size > head.length) {
                    throw new SeFormatException("the header says " + size + " bytes, the file has " + head.length);
                }
                return SeHeader.parse(java.util.Arrays.copyOf(head, size));
            } catch (SeFormatException e) {
                throw new IllegalArgumentException("SE header " + p + ": " + e.getMessage(), e);
            }
        }
        try {
            return SeImageReader.read(head).header();
        } catch (SeFormatException e) {
            throw new IllegalArgumentException("--hdr " + p + ": neither an SE header nor an SE image: " + e.getMessage(), e);
        }
    }
}
