// qa73: per 10 s slice of each recording, the JIT's share of CPU (stacks through CompileBroker/C2Compiler, as qa70's
// JitShare) and the JDK's JIT events the reader attaches (Profile.jitEvents): methods compiled (C2), deoptimised, classes
// defined, and per pod the most repeated after FROM seconds. java -cp CP bench/qa73/JitEventsPerSlice.java FROM FILE...
import io.canaryjudge.profile.*;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;

public class JitEventsPerSlice {
    public static void main(String[] args) throws Exception {
        long from = Long.parseLong(args[0]);
        for (int a = 1; a < args.length; a++) {
            List<Profile> slices = ProfileFiles.read(Path.of(args[a]), ReadOptions.defaults().withSlice(Duration.ofSeconds(10)));
            System.out.println("== " + args[a] + " (" + slices.size() + " slices)");
            Map<String, Long> later = new TreeMap<>();
            long t0 = slices.get(0).startEpochNanos();
            for (Profile p : slices) {
                int cpu = p.sampleTypeIndex(ProfileType.CPU);
                long total = 0, jit = 0;
                for (int s = 0; s < p.stackCount(); s++) {
                    long v = p.value(s, cpu);
                    total += v;
                    for (int d = 0; d < p.stackDepth(s); d++) {
                        String f = p.functionName(p.stackFunction(s, d));
                        if (f.contains("CompileBroker::") || f.contains("C2Compiler::") || f.contains("Compiler::compile")) { jit += v; break; }
                    }
                }
                JitEvents e = p.jitEvents();
                long sec = Math.round((p.startEpochNanos() - t0) / 1e9);
                long comp = 0, c2 = 0, deopt = 0, cls = 0, maxC2 = 0;
                String top = "";
                if (e != null) {
                    for (JitEvents.Count c : e.compilations()) { comp += c.count(); c2 += c.topTier(); if (c.topTier() > maxC2) { maxC2 = c.topTier(); top = c.name(); } }
                    for (JitEvents.Deoptimisation d : e.deoptimisations()) deopt += d.count();
                    for (JitEvents.Count c : e.classes()) cls += c.count();
                    if (sec >= from) {
                        for (JitEvents.Count c : e.compilations()) later.merge("compiled " + c.name(), c.count(), Long::sum);
                        for (JitEvents.Deoptimisation d : e.deoptimisations()) later.merge("deopt " + d.method() + " (" + d.reason() + ", " + d.action() + ")", d.count(), Long::sum);
                        for (JitEvents.Count c : e.classes()) later.merge("defined " + c.name(), c.count(), Long::sum);
                    }
                }
                System.out.printf(Locale.ROOT, "%4ds jit %4.1f%% compiled %4d (C2 %4d, most %3d %s) deopt %3d classes %4d%n",
                        sec, 100.0 * jit / Math.max(1, total), comp, c2, maxC2, top, deopt, cls);
            }
            System.out.println("  most repeated from " + from + " s:");
            later.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
                    .forEach(x -> System.out.println("    " + x.getValue() + " " + x.getKey()));
        }
    }
}
