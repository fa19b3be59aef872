package org.pvsim.kvm;

/**
 * {@code struct kvm_pv_cmd} (32 bytes): {@code cmd} in, {@code rc}/{@code rrc} out (the Ultravisor's codes
 * of the UV call that decided the outcome), {@code data} the user address of the per-command struct or a
 * value, {@code flags} must be 0.
 */
public record KvmPvCmd(int cmd, int rc, int rrc, long data, int flags) {
    public static KvmPvCmd of(int cmd, long data) {
        return new KvmPvCmd(cmd, 0, 0, data, 0);
    }

    public static KvmPvCmd of(int cmd) {
        return of(cmd, 0);
    }

    public KvmPvCmd withResult(int newRc, int newRrc) {
        return new KvmPvCmd(cmd, newRc, newRrc, data, flags);
    }
}
