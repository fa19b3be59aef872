#!/bin/sh
# UV benchmark: unpack+verify of a 256 MiB SE image through UV calls vs the JDK's SHA-512, and
# export/import round trips. Usage: bench/uv/run.sh [MiB] [rounds]
set -e
cd "$(dirname "$0")/../.."
mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec java -Xmx2g -cp "target/classes:$(cat target/bench-classpath.txt)" bench/uv/UvBench.java "$@"
