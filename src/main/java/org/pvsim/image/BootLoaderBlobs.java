package org.pvsim.image;

/**
 * The two boot loaders an image embeds and where their argument blocks are: stage3a (plaintext, at 0x10000,
 * 24-byte args) and stage3b (encrypted, 64-byte args).
 */
public record BootLoaderBlobs(byte[] stage3a, int stage3aArgsOffset, byte[] stage3b, int stage3bArgsOffset) {
    public BootLoaderBlobs {
        if (stage3aArgsOffset < 0 || stage3aArgsOffset + 24 > stage3a.length) {
            throw new IllegalArgumentException("stage3a args (24 bytes at " + stage3aArgsOffset
                    + ") do not fit in stage3a of " + stage3a.length + " bytes");
        }
        if (stage3bArgsOffset < 0 || stage3bArgsOffset + 64 > stage3b.length) {
            throw new IllegalArgumentException("stage3b args (64 bytes at " + stage3bArgsOffset
                    + ") do not fit in stage3b of " + stage3b.length + " bytes");
        }
        stage3a = stage3a.clone();
        stage3b = stage3b.clone();
    }

    @Override
    public byte[] stage3a() {
        return stage3a.clone();
    }

    @Override
    public byte[] stage3b() {
        return stage3b.clone();
    }

    /** The boot loaders shipped with pvsim ({@link BootLoaders}, built from guests/boot). */
    public static BootLoaderBlobs standard() {
        return new BootLoaderBlobs(BootLoaders.stage3a(), BootLoaders.stage3aArgsOffset(), BootLoaders.stage3b(),
                BootLoaders.stage3bArgsOffset());
    }
}
