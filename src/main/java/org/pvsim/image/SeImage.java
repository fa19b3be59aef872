package org.pvsim.image;

import java.util.List;
import org.pvsim.se.Ipib;
import org.pvsim.se.SeHeader;

/**
 * An SE image as found in a file: every offset and length here has been checked against the file size.
 *
 * @param layout        which tool's layout it is
 * @param fileSize      size of the image file
 * @param headerAddress where the SE header is
 * @param header        the (shape-checked, not yet authenticated) header
 * @param ipibAddress   where the IPIB is
 * @param ipib          the IPIB
 * @param metadata      the SeImgLnx block, or null when the image has none
 */
public record SeImage(Layout layout, long fileSize, long headerAddress, SeHeader header, long ipibAddress, Ipib ipib,
        ImageMetadata metadata) {

    /** Rust pvimg (IPIB after stage3b, metadata at 0xC000) or C genprotimg (IPIB at 0x13000). */
    public enum Layout {
        PVIMG, GENPROTIMG
    }

    /** A secured component with its kind decoded from the tweak prefix (null kind when the type is unknown). */
    public record Component(ComponentKind kind, int type, long tweakPrefix, long address, long length) {
    }

    public List<Component> components() {
        return ipib.components().stream()
                .map(c -> new Component(ComponentKind.ofType(org.pvsim.se.Tweak.componentType(c.tweakPrefix())),
                        org.pvsim.se.Tweak.componentType(c.tweakPrefix()), c.tweakPrefix(), c.address(), c.length()))
                .toList();
    }
}
