package org.pvsim.machine.cpu;

/**
 * A CPU that runs a guest under SIE: the machine's interpreter and translator with the guest's
 * registers, its absolute storage mapped by a {@link GuestMode}, and its control instructions offered
 * to an {@link InterceptionHook} first. Only the machine's SIE creates and drives one; the architected
 * state is the public fields of {@link #cpu()}, plus the accessors here for what the CPU keeps private.
 */
public final class GuestCpu {
    private final Cpu cpu;

    public GuestCpu(Machine machine, int cpuAddress) {
        this.cpu = new Cpu(machine, cpuAddress, org.pvsim.machine.storage.Storage.HOST);
        this.cpu.translate = machine.translation();
        machine.addGuestCpu(cpu);
    }

    public Cpu cpu() {
        return cpu;
    }

    /** The guest CPU is gone for good (its secure CPU was destroyed): the code cache stops telling it of pages. */
    public void release() {
        cpu.machine().removeGuestCpu(cpu);
    }

    /** Enters guest mode: storage through {@code mode}, accesses as {@code domain}, control instructions to {@code hook}. */
    public void enter(GuestMode mode, int domain, InterceptionHook hook) {
        cpu.guest = mode;
        cpu.interceptionHook = hook;
        if (cpu.domain != domain) {
            cpu.setDomain(domain);
        }
        cpu.checkStop = null;
        cpu.start();
    }

    /** Runs up to {@code max} instructions; a {@link GuestExit} ends it early. Returns how many ran. */
    public long run(long max) {
        long before = cpu.insnCount;
        try {
            cpu.run(max);
        } catch (GuestExit e) {
            cpu.endSlice();
            throw e;
        }
        return cpu.insnCount - before;
    }

    public long instructions() {
        return cpu.insnCount;
    }

    /** Delivers the highest-priority pending interruption the guest is enabled for; true if one was. */
    public boolean deliverPending() {
        return Interruptions.deliverPending(cpu);
    }

    /** Presents an external interruption (code, CPU address, parameter) through the guest's lowcore. */
    public void external(int code, int cpuAddress, long parameter) {
        Interruptions.external(cpu, code, cpuAddress, parameter);
    }

    /** Presents a program interruption to the guest at its current PSW, as if the last instruction raised it. */
    public void program(int code, int ilc) {
        Interruptions.injectProgram(cpu, code, ilc);
    }

    /** Presents a restart interruption (the host's iictl restart). */
    public void restart() {
        Interruptions.restart(cpu);
    }

    public boolean waiting() {
        return cpu.isWaiting();
    }

    /** Why the guest stopped by itself (a program-interruption loop, ...), or null. */
    public String checkStop() {
        return cpu.checkStop;
    }

    public long pswMask() {
        return cpu.psw().mask();
    }

    /**
     * STORE STATUS of {@code target} (a stopped CPU of the same guest) at guest absolute {@code address},
     * stored through this CPU's storage accesses (its firmware stores for the target).
     */
    public void storeStatusOf(GuestCpu target, long address) {
        Sigp.storeStatus(target.cpu, cpu, address);
    }

    /** STOP AND STORE STATUS's part: {@code target}'s status in its own prefix area, through this CPU. */
    public void storeStatusInPrefixAreaOf(GuestCpu target) {
        Sigp.storeStatusInPrefixArea(target.cpu, cpu);
    }

    public int cpuAddress() {
        return cpu.cpuAddress;
    }

    public long prefix() {
        return cpu.prefix;
    }

    public void setPrefix(long prefix) {
        cpu.prefix = prefix & 0x7fffe000L;
        cpu.flushTlb();
    }

    public long cpuTimer() {
        return cpu.machine.clocks().cpuTimer(cpu.timers);
    }

    public void setCpuTimer(long value) {
        cpu.machine.clocks().setCpuTimer(cpu.timers, value);
    }

    public long clockComparator() {
        return cpu.timers.clockComparator;
    }

    public void setClockComparator(long value) {
        cpu.timers.clockComparator = value;
    }

    /** Nanoseconds until the guest's next enabled timer interruption, or -1 if none can come. */
    public long nanosToNextTimer() {
        long deadline = Interruptions.nextTimerDeadline(cpu);
        return deadline == Long.MAX_VALUE ? -1 : cpu.machine.clocks().nanosUntil(deadline);
    }
}
