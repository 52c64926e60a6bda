// qa84: per pod, per recording (live/minute-NNN.jfr[.gz]), the JDK's sampled live objects (n) and, at each frame given,
// the sampled live objects allocated under it / those at least 5 min old: whether a pod's earlier windows are new draws.
// Usage: java -cp profile-client/target/classes bench/qa84-windows.java PODS_DIR FRAME_SUFFIX,FRAME_SUFFIX,...
import io.canaryjudge.profile.*;
import io.canaryjudge.profile.jfr.JfrProfileReader;
import java.nio.*;
import java.nio.file.*;
import java.util.*;
import java.util.zip.GZIPInputStream;
public class Qa84Windows {
    public static void main(String[] a) throws Exception {
        Path root = Path.of(a[0]);
        Set<String> frames = new TreeSet<>(Arrays.asList(a[1].split(",")));
        try (var pods = Files.list(root)) {
            for (Path pod : pods.sorted().toList()) {
                Path live = pod.resolve("live"); if (!Files.isDirectory(live)) continue;
                StringBuilder sb = new StringBuilder(pod.getFileName().toString());
                try (var fs = Files.list(live)) {
                    for (Path f : fs.sorted().toList()) {
                        byte[] bytes = f.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(f)).readAllBytes() : Files.readAllBytes(f);
                        if (bytes.length == 0) continue;
                        Profile p = new JfrProfileReader().read(ByteBuffer.wrap(bytes), f.toString(), ReadOptions.defaults()).get(0);
                        FunctionTotals t = p.functionTotals(ProfileType.LIVE_OBJECTS);
                        FunctionTotals o = p.functionTotals(ProfileType.OLD_LIVE_OBJECTS);
                        if (t == null) continue;
                        sb.append(" | ").append(f.getFileName().toString().replaceAll("minute-0*|\\.jfr.*", "")).append(": n=").append(t.total());
                        for (String fr : frames) {
                            long c = 0, oc = 0;
                            for (int i = 0; i < t.functionCount(); i++) if (t.functionName(i).endsWith(fr)) c = t.inclusive(i);
                            if (o != null) for (int i = 0; i < o.functionCount(); i++) if (o.functionName(i).endsWith(fr)) oc = o.inclusive(i);
                            sb.append(" ").append(c).append("/").append(oc);
                        }
                    }
                }
                System.out.println(sb);
            }
        }
    }
}
