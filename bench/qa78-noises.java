// qa78: per canary pod, the application frames (io.canaryjudge.memory.*) whose share of the sampled live objects
// (live_objects, the JDK's old-object samples of a -Dorders.jfr=true recording) rose above every baseline recording's, with
// the canary's share, the baseline pods' range and how many times the noise it stands above their mean (LeakSites.findCounts:
// noise = max(spread of the baseline pods' shares, binomial at their mean over the canary's samples per recording, one sample)).
// Usage: java -cp profile-client/target/classes bench/qa78-noises.java RECORDING FROM TO BASE,BASE,... CANARY,...
import io.canaryjudge.profile.*;
import io.canaryjudge.profile.jfr.JfrProfileReader;
import java.nio.*;
import java.nio.file.*;
import java.util.*;
import java.util.zip.GZIPInputStream;

public class Qa78Noises {
    static List<FunctionTotals> read(String rec, String pod, int from, int to) throws Exception {
        List<FunctionTotals> out = new ArrayList<>();
        for (int m = from; m <= to; m++) {
            Path f = Path.of(rec, pod, "live", String.format("minute-%03d.jfr", m));
            Path g = Path.of(f + ".gz");
            byte[] bytes;
            if (Files.exists(f) && Files.size(f) > 0) bytes = Files.readAllBytes(f);
            else if (Files.exists(g)) bytes = new GZIPInputStream(Files.newInputStream(g)).readAllBytes();
            else continue;
            Profile p = new JfrProfileReader().read(ByteBuffer.wrap(bytes), f.toString(), ReadOptions.defaults()).get(0);
            out.add(p.functionTotals(ProfileType.LIVE_OBJECTS));
        }
        return out;
    }
    static Map<String, Double> pooled(List<FunctionTotals> recs) {
        Map<String, Double> sum = new HashMap<>(); double total = 0;
        for (FunctionTotals t : recs) { total += t.total(); for (int i = 0; i < t.functionCount(); i++) sum.merge(t.functionName(i), (double) t.inclusive(i), Double::sum); }
        double tt = total; sum.replaceAll((k, v) -> v / tt); return sum;
    }
    public static void main(String[] a) throws Exception {
        int from = Integer.parseInt(a[1]), to = Integer.parseInt(a[2]);
        List<Map<String, Double>> pods = new ArrayList<>();
        Map<String, Double> highest = new HashMap<>();
        for (String b : a[3].split(",")) {
            List<FunctionTotals> recs = read(a[0], b, from, to);
            pods.add(pooled(recs));
            for (FunctionTotals t : recs) for (int i = 0; i < t.functionCount(); i++) highest.merge(t.functionName(i), (double) t.inclusive(i) / t.total(), Math::max);
        }
        for (String c : a[4].split(",")) {
            List<FunctionTotals> recs = read(a[0], c, from, to);
            if (recs.isEmpty()) continue;
            double n = recs.stream().mapToLong(FunctionTotals::total).average().orElse(1);
            Map<String, Double> cs = pooled(recs);
            List<String[]> rows = new ArrayList<>();
            for (var e : cs.entrySet()) {
                String f = e.getKey();
                if (!f.startsWith("io.canaryjudge.memory") || e.getValue() <= highest.getOrDefault(f, 0.0)) continue;
                double m = pods.stream().mapToDouble(p -> p.getOrDefault(f, 0.0)).average().orElse(0);
                double ss = pods.stream().mapToDouble(p -> Math.pow(p.getOrDefault(f, 0.0) - m, 2)).sum();
                double spread = Math.sqrt(ss / (pods.size() - 1));
                double noise = Math.max(spread, Math.max(Math.sqrt(m * (1 - m) / n), 1 / n));
                double lo = pods.stream().mapToDouble(p -> p.getOrDefault(f, 0.0)).min().orElse(0);
                double hi = pods.stream().mapToDouble(p -> p.getOrDefault(f, 0.0)).max().orElse(0);
                rows.add(new String[]{String.format("%6.2f", (e.getValue() - m) / noise), String.format("%-60s %5.1f %% vs %4.1f-%4.1f %% (spread %.1f, floor %.1f)", f.replace("io.canaryjudge.memory.", ""), 100 * e.getValue(), 100 * lo, 100 * hi, 100 * spread, 100 * Math.max(Math.sqrt(m * (1 - m) / n), 1 / n))});
            }
            rows.sort((x, y) -> Double.compare(Double.parseDouble(y[0]), Double.parseDouble(x[0])));
            System.out.printf("%s minutes %d-%d (%.0f sampled per recording)%n", c, from, to, n);
            rows.stream().limit(6).forEach(r -> System.out.println("  " + r[0] + "  " + r[1]));
        }
    }
}
