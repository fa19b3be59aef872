package org.pvsim.machine.cpu;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.pvsim.machine.storage.Storage;

/**
 * Fuzzes the ELF and flat-binary loader of {@code pvsim machine run}: hostile program headers (sizes near 2^64,
 * offsets past the file, overlapping segments) may only be refused with {@link IllegalArgumentException},
 * never an index, overflow or storage error. {@code mvn verify} replays ProgramLoaderFuzzTestInputs/.
 */
class ProgramLoaderFuzzTest {
    @FuzzTest
    void fuzzLoad(byte[] data) {
        try {
            ProgramLoader.load(data, "fuzz", new Storage(16L << 20));
        } catch (IllegalArgumentException expected) {
            // refused with a message naming the file: fine
        }
    }
}
