package org.pvsim.machine.cpu;

import java.util.Map;

/**
 * The hottest instructions get a small id so that the run loop can execute them in a switch the JIT
 * compiles inline, instead of a megamorphic call to their {@link Handler}. Semantics are identical
 * (the switch calls the same kernels); the handler table stays the definition of every instruction.
 * This is the step before translating hot blocks to JVM bytecode.
 */
final class FastPath {
    private FastPath() {
    }

    static final int NONE = 0;
    static final int LG = 1;
    static final int STG = 2;
    static final int LGR = 3;
    static final int LGHI = 4;
    static final int AGHI = 5;
    static final int AGR = 6;
    static final int LA = 7;
    static final int LAY = 8;
    static final int LARL = 9;
    static final int BRC = 10;
    static final int BRCL = 11;
    static final int BRCTG = 12;
    static final int BRCT = 13;
    static final int BRASL = 14;
    static final int BCR = 15;
    static final int CGIJ = 16;
    static final int CIJ = 17;
    static final int CGRJ = 18;
    static final int CLGRJ = 19;
    static final int CRJ = 20;
    static final int L = 21;
    static final int ST = 22;
    static final int LR = 23;
    static final int AHI = 24;
    static final int LTGR = 25;
    static final int LHI = 26;
    static final int LLGC = 27;
    static final int STC = 28;
    static final int IC = 29;
    static final int LGF = 30;
    static final int LGFR = 31;
    static final int LLGFR = 32;
    static final int SLLG = 33;
    static final int SRLG = 34;
    static final int XR = 35;
    static final int NR = 36;
    static final int CHI = 37;
    static final int CGHI = 38;
    static final int CLGR = 39;
    static final int CGR = 40;
    static final int LLC = 41;
    static final int LLCR = 42;
    static final int LLGH = 43;
    static final int AGHIK = 44;
    static final int AHIK = 45;
    static final int CLIJ = 46;
    static final int CLGIJ = 47;
    static final int LTR = 48;

    private static final Map<String, Integer> IDS = Map.ofEntries(
            Map.entry("lg", LG), Map.entry("stg", STG), Map.entry("lgr", LGR), Map.entry("lghi", LGHI),
            Map.entry("aghi", AGHI), Map.entry("agr", AGR), Map.entry("la", LA), Map.entry("lay", LAY),
            Map.entry("larl", LARL), Map.entry("brc", BRC), Map.entry("brcl", BRCL), Map.entry("brctg", BRCTG),
            Map.entry("brct", BRCT), Map.entry("brasl", BRASL), Map.entry("bcr", BCR), Map.entry("cgij", CGIJ),
            Map.entry("cij", CIJ), Map.entry("cgrj", CGRJ), Map.entry("clgrj", CLGRJ), Map.entry("crj", CRJ),
            Map.entry("l", L), Map.entry("st", ST), Map.entry("lr", LR), Map.entry("ahi", AHI),
            Map.entry("ltgr", LTGR), Map.entry("lhi", LHI), Map.entry("llgc", LLGC), Map.entry("stc", STC),
            Map.entry("ic", IC), Map.entry("lgf", LGF), Map.entry("lgfr", LGFR), Map.entry("llgfr", LLGFR),
            Map.entry("sllg", SLLG), Map.entry("srlg", SRLG), Map.entry("xr", XR), Map.entry("nr", NR),
            Map.entry("chi", CHI), Map.entry("cghi", CGHI), Map.entry("clgr", CLGR), Map.entry("cgr", CGR),
            Map.entry("llc", LLC), Map.entry("llcr", LLCR), Map.entry("llgh", LLGH), Map.entry("aghik", AGHIK),
            Map.entry("ahik", AHIK), Map.entry("clij", CLIJ), Map.entry("clgij", CLGIJ), Map.entry("ltr", LTR));

    static int id(String mnemonic) {
        return IDS.getOrDefault(mnemonic, NONE);
    }
}
