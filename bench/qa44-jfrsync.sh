#!/usr/bin/env bash
# qa44: what async-profiler's own recording carries of memory outside the heap with jfrsync. A 12-second JVM that keeps
# a 4 KiB direct buffer every 20 ms and starts a parked daemon thread every 50 buffers, under async-profiler 4.2
# (cpu, 10 ms) with jfrsync=bench/qa44-areas.jfc: the JDK's jdk.MetaspaceSummary, jdk.DirectBufferStatistics and
# jdk.JavaThreadStatistics are merged into async-profiler's recording. Without jfrsync it holds none of them.
#   bench/qa44-jfrsync.sh OUT.jfr
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unzip -q -o ~/.m2/repository/tools/profiler/async-profiler/4.2/async-profiler-4.2.jar 'linux-x64/*' -d "$work"
cat > "$work/Keep.java" <<'JAVA'
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

public class Keep {
    public static void main(String[] args) throws Exception {
        List<Object> keep = new ArrayList<>();
        long end = System.currentTimeMillis() + 12_000;
        while (System.currentTimeMillis() < end) {
            keep.add(ByteBuffer.allocateDirect(4096));
            byte[] garbage = new byte[1 << 20];
            if (keep.size() % 50 == 0) {
                Thread t = new Thread(() -> {
                    try {
                        Thread.sleep(1_000_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                t.setDaemon(true);
                t.start();
            }
            Thread.sleep(20);
        }
        System.out.println(keep.size());
    }
}
JAVA
nice java -Xmx64m -agentpath:"$work/linux-x64/libasyncProfiler.so=start,event=cpu,interval=10ms,jfr,jfrsync=$here/qa44-areas.jfc,file=$(realpath -m "$out")" \
  "$work/Keep.java"
