package org.pvsim.machine.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;

/**
 * Fuzzes the CPU with random instruction streams, registers and PSWs on a small machine
 * ({@link CpuFuzzHarness}): whatever the input, only architected outcomes may occur. A Java exception
 * escaping the machine fails the test, as does a run that does not end (each instruction of the stream
 * gets a bounded number of instructions, and the whole input a wall-clock bound). {@code mvn verify}
 * replays the seeds in CpuFuzzTestInputs/ (random streams, and the inputs that once hung or crashed);
 * {@code mvn verify -Pfuzz -Dtest=CpuFuzzTest} really fuzzes.
 */
class CpuFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void randomInstructionStreams(byte[] data) {
        CpuFuzzHarness.Outcome o = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CpuFuzzHarness.run(data),
                "a run that does not end");
        for (int code : o.programCodes()) {
            assertThat(CpuFuzzHarness.ARCHITECTED).as("program-interruption code 0x%x", code).contains(code & ~0x80);
        }
        for (Machine.Result r : o.results()) {
            assertThat(r.ending()).as(r.detail()).isNotEqualTo(Machine.Ending.TIME_LIMIT);
        }
        for (Cpu c : o.cpus()) {
            // an invalid PSW is only ever held with its early specification exception pending
            if (c.checkStop == null && c.state() == Cpu.State.OPERATING) {
                assertThat(Psw.isValid(c.psw().mask(), c.psw().address()) || c.pswInvalid).as("PSW %s", c.psw()).isTrue();
            }
        }
    }
}
