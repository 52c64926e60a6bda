// qa72: per pod and minute recording (live/minute-NNN.jfr of a -Dorders.jfr=true recording), the JDK's sampled live
// objects at SITE older than 5 min / all sampled at SITE / all older than 5 min / all sampled (the JFR reader's figures).
// Usage: java -cp profile-client/target/classes bench/qa72-ages.java RECORDING SITE POD,POD,...
import io.canaryjudge.profile.*;
import io.canaryjudge.profile.jfr.JfrProfileReader;
import java.nio.*;
import java.nio.file.*;
import java.util.*;

public class Qa72Ages {
    public static void main(String[] a) throws Exception {
        String site = a[1];
        for (String pod : a[2].split(",")) {
            StringBuilder line = new StringBuilder(String.format("%-11s", pod));
            Map<String, Long> top = new TreeMap<>();
            for (int m = 0; m < 40; m++) {
                Path f = Path.of(a[0], pod, "live", String.format("minute-%03d.jfr", m));
                if (!Files.exists(f) || Files.size(f) == 0) break;
                Profile p = new JfrProfileReader().read(ByteBuffer.wrap(Files.readAllBytes(f)), f.toString(), ReadOptions.defaults()).get(0);
                FunctionTotals live = p.functionTotals(ProfileType.LIVE_OBJECTS);
                FunctionTotals old = p.functionTotals(ProfileType.OLD_LIVE_OBJECTS);
                long atSite = 0, liveSite = 0;
                if (old != null) for (int i = 0; i < old.functionCount(); i++) {
                    if (old.functionName(i).equals(site)) atSite = old.inclusive(i);
                    if (m >= 15 && old.functionName(i).startsWith("io.canaryjudge.memory.app")) top.merge(old.functionName(i), old.inclusive(i), Long::sum);
                }
                for (int i = 0; i < live.functionCount(); i++) if (live.functionName(i).equals(site)) liveSite = live.inclusive(i);
                line.append(String.format(" %d/%d/%d/%d", atSite, liveSite, old == null ? -1 : old.total(), live.total()));
            }
            System.out.println(line);
            if (a.length > 3) System.out.println("   old app frames (minutes 15+): " + top);
        }
    }
}
