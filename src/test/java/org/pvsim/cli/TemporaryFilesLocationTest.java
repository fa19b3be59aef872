package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mvn verify leaves nothing in /tmp: the tests' temporary files (JUnit's, Lincheck's, Jazzer's) go to target/. */
class TemporaryFilesLocationTest {
    @TempDir
    Path dir;

    @Test
    void temporaryFilesAreUnderTarget() {
        Path target = Path.of("target").toAbsolutePath().normalize();
        assertThat(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize()).startsWith(target);
        assertThat(dir.toAbsolutePath().normalize()).startsWith(target);
    }
}
