package org.pvsim.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Fuzzes the parmfile reader (through the bounded reader, as {@code image create -p} reads it): the command
 * line component is the file's bytes with exactly one terminating NUL, and nothing else may happen.
 * {@code mvn verify} replays ParmfileFuzzTestInputs/.
 */
class ParmfileFuzzTest {
    @FuzzTest
    void fuzzParmfile(byte[] data) throws Exception {
        Path p = Files.createTempFile("parmfile-fuzz", ".txt");
        try {
            Files.write(p, data);
            byte[] c = Cmdline.read(p);
            boolean terminated = data.length > 0 && data[data.length - 1] == 0;
            if (c[c.length - 1] != 0 || c.length != data.length + (terminated ? 0 : 1)
                    || !Arrays.equals(c, 0, data.length, data, 0, data.length)) {
                throw new AssertionError("the command line component is not the parmfile plus one NUL");
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }
}
