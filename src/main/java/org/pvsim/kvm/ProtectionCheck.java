package org.pvsim.kvm;

/**
 * Where KVM_PV_ENABLE and KVM_PV_DISABLE learn whether the VM is protected. The kernel asks under
 * kvm->lock, the only place where the answer cannot go stale before the command acts on it
 * ({@link #UNDER_LOCK}, what every VM uses). It is a collaborator given at VM creation so that the
 * concurrency test can give a VM, from test code, the reviewed first version's check before the lock and
 * show that it catches that race.
 */
@FunctionalInterface
interface ProtectionCheck {
    /** Asked before kvm->lock is taken: the answer the command must use, or null to ask under the lock. */
    Boolean beforeLock(KvmVm vm);

    ProtectionCheck UNDER_LOCK = vm -> null;
}
