package org.pvsim.image;

/** The secured components of an SE image, with the tweak-prefix type each tool writes (reference §2.1). */
public enum ComponentKind {
    KERNEL("kernel", 40, 0),
    RAMDISK("ramdisk", 50, 2),
    CMDLINE("cmdline", 60, 1),
    STAGE3B("stage3b", 70, 3);

    private final String label;
    private final int rustType;
    private final int cType;

    ComponentKind(String label, int rustType, int cType) {
        this.label = label;
        this.rustType = rustType;
        this.cType = cType;
    }

    public String label() {
        return label;
    }

    /** Type written by Rust pvimg (40/50/60/70). */
    public int rustType() {
        return rustType;
    }

    /** Type written by C genprotimg (0 kernel, 1 cmdline, 2 ramdisk, 3 stage3b). */
    public int cType() {
        return cType;
    }

    /** The kind for a tweak-prefix type of either tool, or null when unknown. */
    public static ComponentKind ofType(int type) {
        for (ComponentKind k : values()) {
            if (k.rustType == type || k.cType == type) {
                return k;
            }
        }
        return null;
    }
}
