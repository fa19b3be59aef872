#!/bin/sh
# KVM benchmark: full protected-VM lifecycles per second (create VM, 1 vCPU, 1 MiB, ENABLE, SET_SEC_PARMS,
# UNPACK one page, VERIFY, DISABLE, destroy), one and two threads, against the same UV calls issued
# directly (no KVM) in the same run; plus where the time goes. Usage: bench/kvm/run.sh [seconds-per-phase]
set -e
cd "$(dirname "$0")/../.."
mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec java -Xmx2g -cp "target/classes:$(cat target/bench-classpath.txt)" bench/kvm/KvmBench.java "$@"
