import io.canaryjudge.scenario.SlicePprofWriter;
import java.nio.file.*;
import java.util.*;

/** ToPprof RAWPOD DEST FIRST LAST: raw slice-K.jfr (mtime = its end) to DEST/slice-K.pb.gz, CPU only, with requests.csv. */
public class ToPprof {
    public static void main(String[] a) throws Exception {
        Path raw = Path.of(a[0]), dest = Path.of(a[1]);
        int first = Integer.parseInt(a[2]), last = Integer.parseInt(a[3]);
        Files.createDirectories(dest);
        Map<String, String> req = new HashMap<>();
        for (String l : Files.readAllLines(raw.resolve("requests.csv"))) { String[] p = l.split(","); req.put(p[0], p[1]); }
        StringBuilder csv = new StringBuilder("profile,requests\n");
        for (int k = first; k <= last; k++) {
            Path jfr = raw.resolve("slice-" + k + ".jfr");
            long end = Files.getLastModifiedTime(jfr).toMillis() * 1_000_000L;
            long duration = 10_000_000_000L;
            SlicePprofWriter.convert(jfr, dest.resolve("slice-" + k + ".pb.gz"), 4_000_000L, false, end - duration, duration);
            csv.append("slice-" + k + ".pb.gz," + req.get("slice-" + k + ".jfr") + "\n");
        }
        Files.writeString(dest.resolve("requests.csv"), csv);
    }
}
