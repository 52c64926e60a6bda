// qa84: one `compare` (the CLI in process) of chosen baseline pods and canary pods over minutes [FROM, TO] of a recording laid
// out as resources/qa72 (pod folders with heap.csv, pod.properties, live/minute-NNN.jfr[.gz]), the instance folders cut as
// OldObjectAgeTest does; prints the exit status and the MEMORY_GROWTH finding's function (EXPL=1: its explanation).
// Usage: java -cp "$(cat CP_FILE)" bench/qa84-layouts.java PODS_DIR WORK FROM TO BASE,BASE[,...] CANARY[,...] [HISTORY,...]
//   (CP_FILE from bench/test-classpath.sh; run from the project root)
import java.lang.reflect.Method;
import java.nio.file.*;
import java.util.*;
import java.io.*;
// Usage: Layouts RECORDING WORK FROM TO "base,base" "canary" ["history,history"]
public class Qa84Layouts {
    public static void main(String[] a) throws Exception {
        Class<?> t = Class.forName("io.canaryjudge.memory.OldObjectAgeTest");
        Method instance = t.getDeclaredMethod("instance", Path.class, Path.class, long.class, long.class); instance.setAccessible(true);
        Method jvmStart = t.getDeclaredMethod("jvmStart", Path.class); jvmStart.setAccessible(true);
        Path rec = Path.of(a[0]), work = Path.of(a[1]);
        int from = Integer.parseInt(a[2]), to = Integer.parseInt(a[3]);
        List<String> base = List.of(a[4].split(",")), can = List.of(a[5].split(","));
        List<String> hist = a.length > 6 ? List.of(a[6].split(",")) : List.of();
        long start = 0;
        for (String p : concat(base, can)) start = Math.max(start, (long) jvmStart.invoke(null, rec.resolve(p)));
        long f = start + from * 60_000L, e = start + to * 60_000L;
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json"));
        for (String p : base) args.addAll(List.of("--baseline", instance.invoke(null, rec.resolve(p), work.resolve(p), f, e).toString()));
        for (String p : can) args.addAll(List.of("--canary", instance.invoke(null, rec.resolve(p), work.resolve(p), f, e).toString()));
        for (String p : hist) args.addAll(List.of("--history", instance.invoke(null, rec.resolve(p), work.resolve("h-" + p), f, e).toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = io.canaryjudge.cli.Cli.run(args.toArray(String[]::new), new PrintStream(out, true), new PrintStream(err, true));
        var json = tools.jackson.databind.json.JsonMapper.builder().build().readTree(out.toString());
        String site = "-", expl = "";
        if (json != null && json.get("findings") != null) for (var fi : json.get("findings")) if (fi.get("kind").asString().equals("MEMORY_GROWTH")) { site = fi.get("function").asString(); expl = fi.get("explanation").asString(); }
        System.out.println(base + " vs " + can + (hist.isEmpty() ? "" : " hist " + hist) + " " + from + "-" + to + ": status " + status + " site " + site);
        if (System.getenv("EXPL") != null) System.out.println("   " + expl);
    }
    static List<String> concat(List<String> x, List<String> y) { List<String> l = new ArrayList<>(x); l.addAll(y); return l; }
}
