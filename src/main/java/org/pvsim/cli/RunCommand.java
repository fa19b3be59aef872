package org.pvsim.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pvsim.image.BoundedInput;
import org.pvsim.kvm.Kvm;
import org.pvsim.machine.SimulatedMachine;
import org.pvsim.vmm.Outcome;
import org.pvsim.vmm.Trace;
import org.pvsim.vmm.VmConfig;
import org.pvsim.vmm.Vmm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pvsim run}: QEMU's command line for an s390x guest on pvsim's KVM, with the simulated machine's
 * host keys. The guest's console is stdout, console input stdin; the exit status is the guest's.
 */
@Command(name = "run", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"Boot -kernel FILE (an SE image, or an s390x ELF / flat binary) in a VM on pvsim's KVM, as "
                + "qemu-system-s390x does. With --protected (or QEMU's -object s390-pv-guest,id=pv0 "
                + "-machine confidential-guest-support=pv0) an SE image's boot loader turns the VM into a "
                + "protected one.",
                "Exit status: 0 for a clean shutdown (disabled wait at ...fff, SIGP stop of the last CPU; a "
                + "console line EXIT: STATUS=N gives N, 1 meaning 0), 1 for a crashed guest or an error."})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "-kernel", required = true, paramLabel = "FILE", description = "The image to IPL.")
    Path kernel;

    @Option(names = "-m", defaultValue = "128M", paramLabel = "SIZE",
            description = "Guest memory (MiB, or a K/M/G suffix). Default: ${DEFAULT-VALUE}.")
    String memory;

    @Option(names = "-smp", defaultValue = "1", paramLabel = "N", description = "vCPUs, each on a thread of its own (the guest starts the others with SIGP). Default: ${DEFAULT-VALUE}.")
    int cpus;

    @Option(names = "-append", paramLabel = "CMDLINE", description = "Command line of a Linux-shaped kernel (not of an SE image).")
    String append;

    @Option(names = "--protected", description = "Confidential guest support (QEMU: -object s390-pv-guest + -machine confidential-guest-support).")
    boolean protectedGuest;

    @Option(names = "-object", paramLabel = "TYPE,id=ID", description = "Only s390-pv-guest,id=ID.")
    List<String> objects = new ArrayList<>();

    @Option(names = "-machine", paramLabel = "PROPS", description = "[s390-ccw-virtio,]confidential-guest-support=ID[,accel=kvm].")
    String machine;

    @Option(names = "-no-reboot", description = "Shut down instead of rebooting when the guest asks for a reboot (diag 308).")
    boolean noReboot;

    @Option(names = "--host-key", paramLabel = "FILE",
            description = "A private host key (PEM) of the simulated machine; repeatable. Without one the machine can "
                    + "unpack no SE image.")
    List<Path> hostKeys = new ArrayList<>();

    @Option(names = "--trace", paramLabel = "FILE",
            description = "Write UV calls, KVM ioctls and SIE exits as Chrome JSON trace events (Perfetto reads them).")
    Path traceFile;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        VmConfig config = VmConfig.of(parseMemory(memory), cpus, confidential(), append);
        if (noReboot) {
            config = config.withMaxReboots(0);
        }
        if (traceFile != null) {
            // the trace is written in place: never into a device, FIFO or through a link, nor over the image
            org.pvsim.image.OutputTarget.check(traceFile, kernel);
        }
        byte[] image = BoundedInput.readProgram(kernel, "-kernel image", config.memory());
        List<ECPrivateKey> keys = ImageKeyFiles.hostPrivateKeys(hostKeys);
        if (keys.isEmpty()) {
            keys.add(throwawayHostKey()); // a machine always has a key: just not one any image was made for
        }
        Trace trace = traceFile != null ? Trace.recording() : Trace.OFF;
        SimulatedMachine host = Vmm.hostMachine(config.memory(), keys);
        if (trace.enabled()) {
            host.addUvListener(e -> trace.uvCall(e.name(), e.cc(), e.rc(), e.rrc(), e.durationNanos(), e.domain() != 0));
        }
        Kvm kvm = Vmm.bootKvm(host);
        Outcome outcome;
        try (Vmm vmm = Vmm.create(kvm, config, image, console(out), System.in, trace)) {
            outcome = vmm.run();
        } finally {
            out.flush();
            if (trace.enabled()) {
                trace.write(traceFile);
            }
        }
        if (outcome.message() != null) {
            err.println("pvsim: " + outcome.message());
        }
        return outcome.exitCode();
    }

    private static ECPrivateKey throwawayHostKey() {
        try {
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
            g.initialize(new java.security.spec.ECGenParameterSpec("secp521r1"));
            return (ECPrivateKey) g.generateKeyPair().getPrivate();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a host key for the simulated machine: " + e.getMessage(), e);
        }
    }

    /** --protected, or QEMU's pair: an s390-pv-guest object named by the machine's confidential-guest-support. */
    private boolean confidential() {
        Map<String, String> pvObjects = new HashMap<>();
        for (String o : objects) {
            Map<String, String> props = props(o, "-object");
            if (!"s390-pv-guest".equals(props.get(""))) {
                throw new IllegalArgumentException("-object: only s390-pv-guest is supported, not '" + o + "'");
            }
            if (props.get("id") == null) {
                throw new IllegalArgumentException("-object: Parameter 'id' is missing");
            }
            pvObjects.put(props.get("id"), o);
        }
        boolean cgs = false;
        if (machine != null) {
            Map<String, String> props = props(machine, "-machine");
            String id = props.get("confidential-guest-support");
            if (id != null) {
                if (!pvObjects.containsKey(id)) {
                    throw new IllegalArgumentException("-machine: confidential-guest-support: object '" + id + "' not found");
                }
                cgs = true;
            }
            String type = props.get("");
            if (type != null && !type.equals("s390-ccw-virtio")) {
                throw new IllegalArgumentException("-machine: unsupported machine type '" + type + "'");
            }
        }
        return protectedGuest || cgs;
    }

    /** "type,key=value,...": the leading bare word under "". */
    private static Map<String, String> props(String s, String option) {
        Map<String, String> m = new HashMap<>();
        String[] parts = s.split(",");
        for (int i = 0; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq < 0) {
                if (i != 0) {
                    throw new IllegalArgumentException(option + ": '" + parts[i] + "' is not key=value");
                }
                m.put("", parts[i]);
            } else {
                String key = parts[i].substring(0, eq);
                m.put(key.equals("type") ? "" : key, parts[i].substring(eq + 1));
            }
        }
        return m;
    }

    /** QEMU's -m: a number of MiB, or with a K/M/G suffix. */
    static long parseMemory(String s) {
        return SizeOption.parse(s.trim().replaceFirst("^(?i)size=", ""), "-m", VmConfig.MIB);
    }

    /** The guest's console bytes to the command's output, as they come. */
    private static PrintStream console(PrintWriter out) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                out.write(b & 0xff);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                out.write(new String(b, off, len, StandardCharsets.ISO_8859_1));
            }

            @Override
            public void flush() {
                out.flush();
            }
        }, true, StandardCharsets.ISO_8859_1);
    }
}
