package org.pvsim.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.image.TestImages;

/** --trace: Chrome JSON trace events with every UV call, the VMM's ioctls and its SIE exits, one track each. */
class TraceTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void theTraceParsesAsJsonAndHoldsEveryUvCallTheUvMade() throws Exception {
        Trace trace = Trace.recording();
        AtomicLong uvCalls = new AtomicLong();
        byte[] image = VmmFixture.demoImage(dir, "traced", TestImages.HOST);
        VmmFixture.Guest g = new VmmFixture.Guest(image, true, trace);
        g.machine.addUvListener(e -> {
            uvCalls.incrementAndGet();
            trace.uvCall(e.name(), e.cc(), e.rc(), e.rrc(), e.durationNanos(), e.domain() != 0);
        });
        assertThat(g.vmm.run().exitCode()).isZero();
        g.close();
        Path file = dir.resolve("trace.json");
        trace.write(file);

        JsonNode events = new ObjectMapper().readTree(file.toFile()).get("traceEvents");
        long uv = 0;
        boolean unpack = false;
        boolean wait = false;
        boolean enable = false;
        for (JsonNode e : events) {
            if ("uv".equals(e.path("cat").asText())) {
                uv++;
                assertThat(e.get("tid").asInt()).isEqualTo(Trace.UV_TRACK);
                assertThat(e.get("dur").asDouble()).isNotNegative();
                unpack |= e.get("name").asText().equals("UNPACK_IMG") && e.get("args").get("rc").asText().equals("0x0001");
            }
            wait |= e.get("name").asText().equals("KVM_RUN: SIE exit icpt 0x1c") && e.get("tid").asInt() == Trace.vcpuTrack(0);
            enable |= e.get("name").asText().equals("KVM_PV_ENABLE") && e.get("cat").asText().equals("ioctl");
        }
        assertThat(uv).isEqualTo(uvCalls.get()).isPositive();
        assertThat(unpack).isTrue();
        assertThat(wait).isTrue();
        assertThat(enable).isTrue();
    }

    @Test
    @Timeout(60)
    void anSmpRunHasATrackPerVcpuAndStillEveryUvCall() throws Exception {
        Trace trace = Trace.recording();
        AtomicLong uvCalls = new AtomicLong();
        VmmFixture.Guest g = new VmmFixture.Guest(TestGuests.seImage(dir, "smp-O2"), true, trace, 2);
        g.machine.addUvListener(e -> {
            uvCalls.incrementAndGet();
            trace.uvCall(e.name(), e.cc(), e.rc(), e.rrc(), e.durationNanos(), e.domain() != 0);
        });
        assertThat(g.vmm.run().exitCode()).isZero();
        g.close();
        Path file = dir.resolve("smp-trace.json");
        trace.write(file);
        long uv = 0;
        boolean vcpu1Runs = false;
        for (JsonNode e : new ObjectMapper().readTree(file.toFile()).get("traceEvents")) {
            uv += "uv".equals(e.path("cat").asText()) ? 1 : 0;
            vcpu1Runs |= "sie".equals(e.path("cat").asText()) && e.get("tid").asInt() == Trace.vcpuTrack(1);
        }
        assertThat(uv).isEqualTo(uvCalls.get()).isPositive();
        assertThat(vcpu1Runs).as("vCPU 1's SIE exits on its own track").isTrue();
    }
}
