package org.pvsim.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jetbrains.kotlinx.lincheck.LinCheckerKt;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.annotations.Validate;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.strategy.stress.StressOptions;
import org.junit.jupiter.api.Test;
import org.pvsim.machine.SimulatedMachine;

/**
 * Lincheck (stress strategy: real threads) on the PV command API and vCPU creation against a sequential
 * specification: every result must be explainable by some order of whole commands, and after each run the
 * UV (seen through its call trace) must agree with KVM. The same test must fail for the reviewed first
 * version, which checked "is protected" before taking the VM lock.
 *
 * <p>Why not model checking: lincheck-jvm 2.39's managed strategy walks the test object's graph and fails
 * on record classes ("can't get field offset on a record class"), and with the records hidden it hung in
 * ReentrantLock parking inside the machine model; the stress strategy needs no instrumentation.
 */
class PvLinearizabilityTest {
    private static final long STORAGE = (2L << 30) + (2L << 20);

    /**
     * The invocation's machine and VM. Lincheck runs invocations one after another and walks the object graph
     * of each test instance, which fails on record classes (Unsafe.objectFieldOffset), so the instance holds
     * nothing and reaches its VM through this holder.
     */
    private static volatile KvmFixture fixture;
    private static volatile KvmVm current;

    /** The concurrent object under test: one VM on a fresh machine per invocation. */
    @Param(name = "id", gen = IntGen.class, conf = "0:2")
    public static class PvApi {
        public PvApi() {
            this(false);
        }

        PvApi(boolean firstVersion) {
            KvmFixture f = new KvmFixture(STORAGE, Kvm.Options.defaults());
            f.recordTrace = false;
            KvmVm vm = f.guest(1, 1).vm();
            vm.checkProtectionBeforeLock = firstVersion;
            fixture = f;
            current = vm;
        }

        private String pv(int cmd) {
            KvmVm vm = current;
            try {
                vm.pvCommand(KvmPvCmd.of(cmd));
                return "OK";
            } catch (KvmException e) {
                return e.errno().name();
            }
        }

        @Operation
        public String enable() {
            return pv(KvmUapi.KVM_PV_ENABLE);
        }

        @Operation
        public String disable() {
            return pv(KvmUapi.KVM_PV_DISABLE);
        }

        @Operation
        public String unshareAll() {
            return pv(KvmUapi.KVM_PV_UNSHARE_ALL);
        }

        @Operation
        public String createVcpu(@Param(name = "id") int id) {
            KvmVm vm = current;
            try {
                vm.createVcpu(id + 1);
                return "OK";
            } catch (KvmException e) {
                return e.errno().name();
            }
        }

        /** Atomically (VM lock, then each vCPU lock): is the VM protected, and is every vCPU in step with it? */
        @Operation
        public String state() {
            KvmVm vm = current;
            vm.lock.lock();
            try {
                boolean p = vm.pv.isProtected();
                boolean inStep = true;
                for (KvmVcpu v : vm.vcpus) {
                    v.lock.lock();
                    try {
                        inStep &= v.isProtected() == p;
                    } finally {
                        v.lock.unlock();
                    }
                }
                return p + "/" + inStep;
            } finally {
                vm.lock.unlock();
            }
        }

        /** After each run: the UV has exactly as many configurations and CPUs as KVM believes. */
        @Validate
        public void uvAgrees() {
            KvmVm vm = current;
            KvmFixture f = fixture;
            boolean p = vm.isProtectedNow();
            if (f.liveConfigs.size() != (p ? 1 : 0)) {
                throw new IllegalStateException("UV has " + f.liveConfigs.size() + " configurations, VM protected=" + p);
            }
            if (f.liveCpus.size() != (p ? vm.vcpus().size() : 0)) {
                throw new IllegalStateException("UV has " + f.liveCpus.size() + " secure CPUs for " + vm.vcpus().size());
            }
        }
    }

    /** The first version, for the negative test. */
    public static class FirstVersionPvApi extends PvApi {
        public FirstVersionPvApi() {
            super(true);
        }
    }

    /** What the API means, one command at a time. */
    public static class Spec {
        private boolean prot;
        private final Set<Integer> vcpus = new HashSet<>(List.of(0));

        public String enable() {
            if (prot) {
                return "EINVAL";
            }
            prot = true;
            return "OK";
        }

        public String disable() {
            if (!prot) {
                return "EINVAL";
            }
            prot = false;
            return "OK";
        }

        public String unshareAll() {
            return prot ? "OK" : "EINVAL";
        }

        public String createVcpu(int id) {
            return vcpus.add(id + 1) ? "OK" : "EEXIST";
        }

        public String state() {
            return prot + "/true";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Spec s && s.prot == prot && s.vcpus.equals(vcpus);
        }

        @Override
        public int hashCode() {
            return Boolean.hashCode(prot) * 31 + vcpus.hashCode();
        }
    }

    private static StressOptions stress() {
        return new StressOptions()
                .iterations(20)
                .invocationsPerIteration(50)
                .threads(2)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(1)
                .minimizeFailedScenario(false)
                .sequentialSpecification(Spec.class);
    }

    @Test
    void thePvApiIsLinearizable() {
        LinCheckerKt.check(stress(), PvApi.class);
    }

    @Test
    void theReviewedFirstVersionIsCaught() {
        assertThatThrownBy(() -> LinCheckerKt.check(stress(), FirstVersionPvApi.class))
                .isInstanceOf(AssertionError.class)
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("Invalid execution results", "Validation function"));
    }
}
