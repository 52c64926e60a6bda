package io.canaryjudge.qa43;

import io.canaryjudge.scenario.OpenLoopPod;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import jdk.jfr.Recording;

/**
 * One pod of a small event-enrichment service whose bytes, not its CPU, are the signal (qa43). Every request parses a
 * CSV event line ({@code EventParser.parse}: substrings and a field array), enriches it ({@code Enricher.enrich}: a map
 * of boxed attributes and a geo point escape analysis can remove), frames it into a byte buffer ({@code Framer.frame}),
 * scores it ({@code Scorer.score}: most of the CPU, no bytes), writes it as JSON ({@code JsonWriter.write}: a StringBuilder), counts it ({@code Counters.count}: boxed longs), and
 * every 192nd request flushes a batch through a 192 KB array allocated outside the TLAB ({@code BatchFlusher.flush}).
 * Variants ({@code variant=}):
 * <ul>
 *   <li>{@code base};</li>
 *   <li>{@code bigbuf} — {@code Framer.frame} sizes its buffer 30 % larger (+30 % of that method's bytes);</li>
 *   <li>{@code smallobjs} — {@code Framer.frame} builds the same bytes as 32-byte chunks (many more objects);</li>
 *   <li>{@code newpath} — a new {@code AuditTrail.note} per request (about 1-2 % of the bytes);</li>
 *   <li>{@code escape} — the geo point {@code Enricher.locate} builds is kept in the event (escape analysis can no
 *       longer remove it);</li>
 *   <li>{@code cpu} — {@code Enricher.enrich} hashes the line 100 more times (CPU only, no more bytes).</li>
 * </ul>
 * Records {@code slices} JFR files after {@code warmupMillis} with {@code requests.csv}: through async-profiler
 * ({@code profiler=} its arguments, e.g. {@code event=itimer,interval=500us,alloc=64k}) or, with {@code profiler=jdk},
 * through the JDK's own JFR ({@code jdk.ExecutionSample} every 20 ms, {@code jdk.ObjectAllocationSample} at
 * {@code throttle=} per second, default 150). {@code bench/qa43-alloc.sh} starts the pods.
 */
public final class EnrichPod {
    private EnrichPod() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> map = OpenLoopPod.arguments(args);
        Path folder = Files.createDirectories(Path.of(map.get("output")));
        double rate = Double.parseDouble(map.getOrDefault("rate", "2000"));
        int slices = Integer.parseInt(map.getOrDefault("slices", "4"));
        long sliceMillis = Long.parseLong(map.getOrDefault("sliceMillis", "10000"));
        long warmupMillis = Long.parseLong(map.getOrDefault("warmupMillis", "12000"));
        String variant = map.getOrDefault("variant", "base");
        int workers = Integer.parseInt(map.getOrDefault("workers", "3"));
        String profilerArgs = map.getOrDefault("profiler", "event=itimer,interval=500us,alloc=64k");

        Service service = new Service(variant);
        OpenLoopPod pod = OpenLoopPod.start(workers, rate, 2_000_000L,
                n -> service.handle(n * 31 + Thread.currentThread().getId()));
        long[] requests = profilerArgs.startsWith("jdk")
                ? recordWithJdk(service, folder, warmupMillis, slices, sliceMillis, profilerArgs)
                : pod.record(folder, warmupMillis, slices, sliceMillis, profilerArgs);
        pod.report(folder, variant, rate, requests, sliceMillis, service.sink);
    }

    private static long[] recordWithJdk(Service service, Path folder, long warmupMillis, int slices, long sliceMillis,
            String profilerArgs) throws Exception {
        String throttle = "150/s";
        for (String part : profilerArgs.split(",")) {
            if (part.startsWith("throttle=")) {
                throttle = part.substring(9);
            }
        }
        Thread.sleep(warmupMillis);
        long[] requests = new long[slices];
        for (int k = 0; k < slices; k++) {
            Path jfr = folder.resolve("slice-" + (k + 1) + ".jfr");
            try (Recording recording = new Recording()) {
                recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(20));
                recording.enable("jdk.ObjectAllocationSample").with("throttle", throttle);
                recording.enable("jdk.ActiveSetting");
                recording.start();
                long before = service.served.sum();
                Thread.sleep(sliceMillis);
                requests[k] = service.served.sum() - before;
                recording.stop();
                recording.dump(jfr);
            }
        }
        try (Writer writer = Files.newBufferedWriter(folder.resolve("requests.csv"), StandardCharsets.UTF_8)) {
            writer.write("profile,requests\n");
            for (int k = 0; k < slices; k++) {
                writer.write("slice-" + (k + 1) + ".jfr," + requests[k] + "\n");
            }
        }
        return requests;
    }

    /** One parsed event: its fields and what enrichment added. */
    record Event(String[] fields, Map<String, Object> attributes, Object location) {
    }

    /** A geo point; in the base it never leaves {@code Enricher.locate}'s caller, so C2 may scalar-replace it. */
    record GeoPoint(double lat, double lon, double[] box) {
        double distanceTo(double lat2, double lon2) {
            double dl = lat - lat2;
            double dn = lon - lon2;
            return Math.sqrt(dl * dl + dn * dn) + (box[1] - box[0]) * 1e-9;
        }
    }

    static final class Service {
        final LongAdder served = new LongAdder();
        private final String variant;
        private final EventParser parser = new EventParser();
        private final Enricher enricher;
        private final Framer framer;
        private final JsonWriter json = new JsonWriter();
        private final Counters counters = new Counters();
        private final Scorer scorer = new Scorer();
        private final BatchFlusher flusher = new BatchFlusher();
        private final AuditTrail audit = new AuditTrail();
        volatile long sink;

        Service(String variant) {
            this.variant = variant;
            this.enricher = new Enricher(variant.equals("escape"), variant.equals("cpu"));
            this.framer = new Framer(variant.equals("bigbuf") ? 1.3 : 1.0, variant.equals("smallobjs"));
        }

        void handle(long n) {
            String line = EventSource.line(n);
            Event event = parser.parse(line);
            event = enricher.enrich(event, n);
            long score = scorer.score(event);
            long framed = framer.frame(event);
            String out = json.write(event);
            counters.count(event, out.length());
            long flushed = n % 192 == 0 ? flusher.flush(n) : 0;
            long noted = variant.equals("newpath") ? audit.note(event, n) : 0;
            sink += score + framed + out.hashCode() + flushed + noted;
            served.increment();
        }
    }

    /** Makes a request's CSV line (the "wire" input, counted as the load generator's bytes). */
    static final class EventSource {
        static String line(long n) {
            long h = n * 0x9E3779B97F4A7C15L;
            StringBuilder b = new StringBuilder(200);
            b.append(Long.remainderUnsigned(h, 1_000_000)).append(',')
                    .append("user-").append(Long.remainderUnsigned(h >>> 13, 50_000)).append(',')
                    .append(n % 7 == 0 ? "purchase" : "view").append(',')
                    .append(Long.remainderUnsigned(h >>> 23, 90)).append('.').append(Long.remainderUnsigned(h >>> 5, 1000))
                    .append(',').append(Long.remainderUnsigned(h >>> 31, 180)).append('.').append(n % 997)
                    .append(",sku-").append(Long.remainderUnsigned(h >>> 41, 5000))
                    .append(",web,eu-west,").append(n & 0xffff).append(",ok");
            return b.toString();
        }
    }

    static final class EventParser {
        Event parse(String line) {
            List<String> fields = new ArrayList<>(12);
            int start = 0;
            for (int i = 0; i <= line.length(); i++) {
                if (i == line.length() || line.charAt(i) == ',') {
                    fields.add(line.substring(start, i).trim());
                    start = i + 1;
                }
            }
            return new Event(fields.toArray(new String[0]), Map.of(), null);
        }
    }

    static final class Enricher {
        private final boolean keepLocation;
        private final boolean extraHashing;
        private final String[] segments = {"new", "returning", "vip", "churned", "trial"};
        volatile long hashes;

        Enricher(boolean keepLocation, boolean extraHashing) {
            this.keepLocation = keepLocation;
            this.extraHashing = extraHashing;
        }

        Event enrich(Event event, long n) {
            Map<String, Object> attributes = new HashMap<>(16);
            String[] f = event.fields();
            int user = Integer.parseInt(f[1].substring(5));
            attributes.put("userId", user);
            attributes.put("segment", segments[user % segments.length]);
            attributes.put("ts", Long.parseLong(f[0]) + 1_700_000_000_000L);
            attributes.put("score", (double) (user % 100) / 7.0);
            attributes.put("sku", f[5]);
            attributes.put("seq", (long) Integer.parseInt(f[8]));
            attributes.put("purchase", f[2].equals("purchase"));
            GeoPoint point = locate(f[3], f[4]);
            attributes.put("distanceKm", (long) (point.distanceTo(51.5, -0.12) * 111));
            if (extraHashing) {
                long h = 0;
                for (int round = 0; round < 100; round++) {
                    for (String field : f) {
                        for (int i = 0; i < field.length(); i++) {
                            h = h * 31 + field.charAt(i) + round;
                        }
                    }
                }
                // Kept in a field, not in the event: the change costs CPU and no bytes.
                hashes += h;
            }
            return new Event(f, attributes, keepLocation ? point : null);
        }

        private GeoPoint locate(String lat, String lon) {
            double a = Double.parseDouble(lat);
            double o = Double.parseDouble(lon);
            // A bounding box of four corners: eight doubles with constant indices, which C2 can scalar-replace too.
            double[] box = new double[8];
            box[0] = a - 0.1;
            box[1] = a + 0.1;
            box[2] = o - 0.1;
            box[3] = o + 0.1;
            box[4] = a;
            box[5] = o;
            box[6] = a * o;
            box[7] = a - o;
            return new GeoPoint(a, o, box);
        }
    }

    /** Scores an event for fraud by hashing its fields many times: the service's CPU (about 40 µs), no bytes. */
    static final class Scorer {
        long score(Event event) {
            long h = 0;
            for (int round = 0; round < 1000; round++) {
                for (String field : event.fields()) {
                    for (int i = 0; i < field.length(); i++) {
                        h = (h ^ field.charAt(i)) * 0x100000001B3L + round;
                    }
                }
            }
            return h;
        }
    }

    /** Frames an event into a length-prefixed byte buffer, the bytes a producer would send. */
    static final class Framer {
        private final double sizeFactor;
        private final boolean chunks;

        Framer(double sizeFactor, boolean chunks) {
            this.sizeFactor = sizeFactor;
            this.chunks = chunks;
        }

        long frame(Event event) {
            int size = (int) (512 * sizeFactor);
            if (chunks) {
                // The same 512 bytes as 16 chunks of 32 (16-byte arrays and their 16-byte headers).
                List<byte[]> parts = new ArrayList<>(16);
                long sum = 0;
                for (int c = 0; c < size / 32; c++) {
                    byte[] part = new byte[32 - 16];
                    fill(part, event, c);
                    sum += part[c % part.length];
                    parts.add(part);
                }
                return sum + parts.size();
            }
            byte[] buffer = new byte[size];
            fill(buffer, event, 0);
            return buffer[buffer.length - 1] + buffer[size / 2];
        }

        private static void fill(byte[] buffer, Event event, int offset) {
            String[] f = event.fields();
            int at = 0;
            for (int i = 0; at < buffer.length && i < 64; i++) {
                String field = f[(i + offset) % f.length];
                for (int j = 0; j < field.length() && at < buffer.length; j++) {
                    buffer[at++] = (byte) field.charAt(j);
                }
            }
        }
    }

    static final class JsonWriter {
        String write(Event event) {
            StringBuilder b = new StringBuilder();
            b.append('{');
            String[] f = event.fields();
            for (int i = 0; i < f.length; i++) {
                b.append("\"f").append(i).append("\":\"").append(f[i]).append("\",");
            }
            for (Map.Entry<String, Object> e : event.attributes().entrySet()) {
                b.append('"').append(e.getKey()).append("\":").append(e.getValue()).append(',');
            }
                b.setLength(b.length() - 1);
            return b.append('}').toString();
        }
    }

    /** Per-segment counters kept as a map of boxed longs (a common, wasteful pattern). */
    static final class Counters {
        private final Map<String, Long> totals = new HashMap<>();

        synchronized void count(Event event, int length) {
            String key = String.valueOf(event.attributes().get("segment"));
            totals.merge(key, (long) length, Long::sum);
            totals.merge(key + ".n", 1000L + length % 3, Long::sum);
        }
    }

    /** Every 192nd request: a batch assembled into a 192 KB array (allocated outside the TLAB). */
    static final class BatchFlusher {
        long flush(long n) {
            byte[] batch = new byte[192 * 1024];
            for (int i = 0; i < batch.length; i += 512) {
                batch[i] = (byte) (n + i);
            }
            return batch[(int) (n % batch.length)];
        }
    }

    /** Variant newpath: an audit record per request (a small string and an array). */
    static final class AuditTrail {
        long note(Event event, long n) {
            String record = "audit:" + event.fields()[1] + ":" + n;
            long[] stamps = new long[16];
            stamps[(int) (n & 15)] = n;
            return record.length() + stamps[(int) (n & 15)];
        }
    }
}
