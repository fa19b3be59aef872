#!/bin/sh
# SIE benchmark: SIE entries+exits per second of a diag 0x44 loop (normal and protected guest through KVM_RUN),
# and the tight loop's MIPS as a guest under SIE against the machine's own CPU in the same run.
# Usage: bench/sie/run.sh [seconds-per-phase]
set -e
cd "$(dirname "$0")/../.."
mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec java -Xmx2g -cp "target/classes:$(cat target/bench-classpath.txt)" bench/sie/SieBench.java "$@"
