package org.pvsim.vmm;

/**
 * How a guest's run ended, and the exit status {@code pvsim run} gives for it (QEMU's and the kvm-unit-tests
 * runner's rules): a clean shutdown (disabled wait at an address ending in 0xfff, or SIGP stop of the last
 * running CPU) is 0, unless the console carried {@code EXIT: STATUS=N}, which gives 0 for N = 1 and N
 * otherwise; a guest that crashed (any other disabled wait, a program-interruption loop) is 1, with the
 * protected boot's failure as the reason when there was one.
 */
public sealed interface Outcome {
    int exitCode();

    /** One line for the operator (stderr), or null when there is nothing to say. */
    String message();

    record Shutdown(String how, Integer exitStatus) implements Outcome {
        @Override
        public int exitCode() {
            return exitStatus == null || exitStatus == 1 ? 0 : exitStatus;
        }

        @Override
        public String message() {
            return exitStatus == null || exitStatus == 1 ? null : how + ", EXIT: STATUS=" + exitStatus;
        }
    }

    record Crashed(String why, String bootFailure) implements Outcome {
        @Override
        public int exitCode() {
            return 1;
        }

        @Override
        public String message() {
            return bootFailure != null ? bootFailure : "guest crashed: " + why;
        }
    }
}
