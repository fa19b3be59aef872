package org.pvsim.vmm;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The run's timeline as Chrome JSON trace events (which Perfetto and chrome://tracing read): one track for
 * the Ultravisor, one for the VM's ioctls, one per vCPU (its ioctls, and each return from KVM_RUN with the
 * SIE interception that caused it). Complete events ("ph":"X") with microsecond times; {@link #OFF}
 * records nothing. The VMM sees UV calls only through whoever reports them ({@link #uvCall}): user space
 * has no view of the firmware.
 */
public class Trace {
    /** Records nothing. */
    public static final Trace OFF = new Trace(false);

    static final int UV_TRACK = 0;
    static final int VM_TRACK = 1;
    private static final int VCPU_TRACK_BASE = 10;

    /** One complete event. */
    record Event(String name, String category, int track, long startNanos, long durationNanos, Map<String, Object> args) {
    }

    private final boolean on;
    private final long origin = System.nanoTime();
    private final List<Event> events = new ArrayList<>();
    private final Map<Integer, String> tracks = new TreeMap<>();

    private Trace(boolean on) {
        this.on = on;
        if (on) {
            tracks.put(UV_TRACK, "Ultravisor");
            tracks.put(VM_TRACK, "VM ioctls");
        }
    }

    /** A trace that records. */
    public static Trace recording() {
        return new Trace(true);
    }

    public boolean enabled() {
        return on;
    }

    static int vcpuTrack(int id) {
        return VCPU_TRACK_BASE + id;
    }

    /** A UV call, as the machine reported it after it finished. */
    public void uvCall(String command, int cc, int rc, int rrc, long durationNanos, boolean guest) {
        if (!on) {
            return;
        }
        long now = System.nanoTime();
        Map<String, Object> args = new TreeMap<>();
        args.put("cc", cc);
        args.put("rc", String.format("0x%04x", rc));
        args.put("rrc", String.format("0x%04x", rrc));
        args.put("caller", guest ? "guest" : "host");
        add(new Event(command, "uv", UV_TRACK, now - durationNanos, durationNanos, args));
    }

    /** An ioctl on the VM ({@code vcpu} < 0) or a vCPU, timed; its errno and rc/rrc if it failed. */
    <T> T ioctl(String name, int vcpu, Supplier<T> call) {
        if (!on) {
            return call.get();
        }
        int track = vcpu < 0 ? VM_TRACK : vcpuTrack(vcpu);
        if (vcpu >= 0) {
            synchronized (this) {
                tracks.putIfAbsent(track, "vCPU " + vcpu);
            }
        }
        long start = System.nanoTime();
        Map<String, Object> args = new TreeMap<>();
        try {
            return call.get();
        } catch (org.pvsim.kvm.KvmException e) {
            args.put("errno", e.errno().toString());
            args.put("rc", String.format("0x%04x", e.rc()));
            args.put("rrc", String.format("0x%04x", e.rrc()));
            throw e;
        } finally {
            add(new Event(name, "ioctl", track, start, System.nanoTime() - start, args));
        }
    }

    /** A return from KVM_RUN: why the vCPU left SIE (exit reason, interception code, instruction). */
    void sieExit(int vcpu, long enteredNanos, String what, Map<String, Object> args) {
        if (on) {
            add(new Event(what, "sie", vcpuTrack(vcpu), enteredNanos, System.nanoTime() - enteredNanos, args));
        }
    }

    long now() {
        return System.nanoTime();
    }

    private synchronized void add(Event e) {
        events.add(e);
    }

    /** The events so far (a copy). */
    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** How many UV calls were recorded. */
    public synchronized long uvCalls() {
        return events.stream().filter(e -> e.track() == UV_TRACK).count();
    }

    /** Writes {"traceEvents":[...]} to {@code file}: track names first, then the events in time order. */
    public synchronized void write(Path file) {
        try (JsonGenerator g = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("displayTimeUnit", "ns");
            g.writeArrayFieldStart("traceEvents");
            for (Map.Entry<Integer, String> t : tracks.entrySet()) {
                g.writeStartObject();
                g.writeStringField("name", "thread_name");
                g.writeStringField("ph", "M");
                g.writeNumberField("pid", 1);
                g.writeNumberField("tid", t.getKey());
                g.writeObjectFieldStart("args");
                g.writeStringField("name", t.getValue());
                g.writeEndObject();
                g.writeEndObject();
            }
            List<Event> sorted = new ArrayList<>(events);
            sorted.sort(java.util.Comparator.comparingLong(Event::startNanos));
            for (Event e : sorted) {
                g.writeStartObject();
                g.writeStringField("name", e.name());
                g.writeStringField("cat", e.category());
                g.writeStringField("ph", "X");
                g.writeNumberField("pid", 1);
                g.writeNumberField("tid", e.track());
                g.writeNumberField("ts", (e.startNanos() - origin) / 1000.0);
                g.writeNumberField("dur", e.durationNanos() / 1000.0);
                g.writeObjectFieldStart("args");
                for (Map.Entry<String, Object> a : e.args().entrySet()) {
                    g.writeObjectField(a.getKey(), a.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("--trace: cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
