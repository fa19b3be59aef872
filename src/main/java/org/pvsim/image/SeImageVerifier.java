package org.pvsim.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.interfaces.ECPrivateKey;
import org.pvsim.se.ComponentVerifier;
import org.pvsim.se.HeaderCrypto;
import org.pvsim.se.PagePipeline;
import org.pvsim.se.SeHeaderSecrets;

/** Verifies an image file the way the Ultravisor would, with a host private key or the header key. */
public final class SeImageVerifier {
    /** The decrypted header part and what the components hashed to. */
    public record Verified(SeImage image, SeHeaderSecrets secrets, PagePipeline.Digests components) {
    }

    private SeImageVerifier() {
    }

    public static Verified verify(Path file, ECPrivateKey hostKey) throws IOException {
        try (BoundedInput.Source in = BoundedInput.open(file, BoundedInput.Limit.IMAGE)) {
            SeImage image = SeImageReader.read(in);
            return verifyComponents(in.path(), image, HeaderCrypto.open(image.header(), hostKey));
        }
    }

    public static Verified verifyWithHeaderKey(Path file, byte[] headerKey) throws IOException {
        try (BoundedInput.Source in = BoundedInput.open(file, BoundedInput.Limit.IMAGE)) {
            SeImage image = SeImageReader.read(in);
            return verifyComponents(in.path(), image, HeaderCrypto.open(image.header(), headerKey));
        }
    }

    private static Verified verifyComponents(Path file, SeImage image, SeHeaderSecrets secrets) throws IOException {
        boolean decrypt = (image.header().pcf() & ImageSpec.PCF_NO_ENCRYPTION) == 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            PagePipeline.Digests r = ComponentVerifier.verify(image.header(), secrets, image.ipib().components(),
                    SeImageReader.pageSource(ch), decrypt, null);
            return new Verified(image, secrets, r);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
