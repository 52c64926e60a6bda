package io.canaryjudge.qa50;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableListMultimap;
import com.google.common.collect.Multimaps;
import com.google.common.collect.Ordering;
import io.canaryjudge.scenario.OpenLoopPod;
import org.apache.commons.lang3.StringUtils;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import reactor.core.publisher.Flux;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One pod of a small reporting service (qa50, culprits with one canary pod): each request builds a tenant's sales
 * report from 600 ledger rows: a Reactor pipeline normalises and groups them ({@code Normalizer.normalize}, called
 * from inside Reactor's operators), commons-math3 summarises the amounts ({@code Summary.describe}: mostly library
 * work below it), a stream scores every row ({@code Scoring.score}, called from a lambda), Guava indexes and ranks
 * them, jsoup renders the HTML table (cells cleaned with commons-lang3) and Jackson writes the JSON digest.
 * <p>
 * Variants ({@code change=}, {@code factor=}): {@code none} is the unchanged build; {@code deep} multiplies
 * {@code Normalizer.normalize}'s own work by {@code factor}, {@code lib} the number of percentiles
 * {@code Summary.describe} asks commons-math3 for, {@code lambda} {@code Scoring.score}'s own loop. Records
 * {@code slices} JFR files of {@code sliceMillis} after {@code warmupMillis} with {@code requests.csv}
 * ({@link OpenLoopPod}); bench/qa50-record.sh starts the pods with {@code -XX:+DebugNonSafepoints}.
 */
public final class ReportPod {
    private ReportPod() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> map = OpenLoopPod.arguments(args);
        Path folder = Files.createDirectories(Path.of(map.get("output")));
        double rate = Double.parseDouble(map.getOrDefault("rate", "200"));
        int slices = Integer.parseInt(map.getOrDefault("slices", "4"));
        long sliceMillis = Long.parseLong(map.getOrDefault("sliceMillis", "10000"));
        long warmupMillis = Long.parseLong(map.getOrDefault("warmupMillis", "15000"));
        String change = map.getOrDefault("change", "none");
        double factor = Double.parseDouble(map.getOrDefault("factor", "1"));
        String profilerArgs = map.getOrDefault("profiler", "event=itimer,interval=4ms");

        Reports reports = new Reports(change, factor, Integer.parseInt(map.getOrDefault("rows", "600")));
        OpenLoopPod pod = OpenLoopPod.start(2, rate, 2_000_000L,
                n -> reports.render(n * 31 + Thread.currentThread().getId() * 7919));
        long[] requests = pod.record(folder, warmupMillis, slices, sliceMillis, profilerArgs);
        pod.report(folder, change + " x" + factor, rate, requests, sliceMillis, reports.sink);
    }

    /** A ledger row. */
    record Sale(String region, String sku, int quantity, long cents, String note) {
    }

    /** A normalised row: canonical SKU, amount in the tenant's currency. */
    record Line(String region, String sku, int quantity, double amount, String note) {
    }

    /** The service: one report per request. */
    static final class Reports {
        private static final String[] REGIONS = {"north", "south", "east", "west", "central", "islands"};
        private static final String[] WORDS = {"promo", "bulk", "gift", "return", "express", "backorder", "vip"};
        private final Normalizer normalizer;
        private final Summary summary;
        private final Scoring scoring;
        private final ObjectMapper json = JsonMapper.builder().build();
        volatile long sink;

        private final int rows;

        Reports(String change, double factor, int rows) {
            this.rows = rows;
            this.normalizer = new Normalizer(6 * (change.equals("deep") ? factor : 1));
            this.summary = new Summary(scaled(12, change.equals("lib") ? factor : 1));
            this.scoring = new Scoring(scaled(30, change.equals("lambda") ? factor : 1));
        }

        private static int scaled(int base, double factor) {
            return (int) Math.round(base * factor);
        }

        void render(long request) {
            List<Sale> sales = ledger(request, rows);
            List<Line> lines = Flux.fromIterable(sales).filter(s -> s.quantity() > 0).map(normalizer::normalize)
                    .groupBy(Line::region).flatMap(group -> group.sort((a, b) -> Double.compare(b.amount(), a.amount()))
                            .take(40)).collectList().block();
            double[] stats = summary.describe(lines);
            double score = lines.stream().mapToDouble(line -> scoring.score(line)).sum();
            ImmutableListMultimap<String, Line> byRegion = Multimaps.index(lines, Line::region);
            List<Line> top = Ordering.natural().onResultOf((Line line) -> line.amount()).greatestOf(lines, 25);
            String html = Table.render(top, byRegion.keySet().size());
            Map<String, Object> digest = new LinkedHashMap<>();
            digest.put("request", request);
            digest.put("regions", byRegion.keySet());
            digest.put("stats", stats);
            digest.put("score", score);
            String text = json.writeValueAsString(digest);
            sink += html.length() + text.length() + (long) score;
        }

        private static List<Sale> ledger(long request, int rows) {
            List<Sale> sales = new ArrayList<>(rows);
            for (int i = 0; i < rows; i++) {
                long h = (request * 1_000 + i) * 0x9E3779B97F4A7C15L;
                String region = REGIONS[(int) Long.remainderUnsigned(h >>> 13, REGIONS.length)];
                String sku = " sku-" + Long.toString(Long.remainderUnsigned(h >>> 19, 50_000), 36).toUpperCase(Locale.ROOT)
                        + "/" + Long.remainderUnsigned(h >>> 37, 12) + " ";
                String note = WORDS[(int) Long.remainderUnsigned(h >>> 5, WORDS.length)] + ","
                        + WORDS[(int) Long.remainderUnsigned(h >>> 9, WORDS.length)] + ", <b>" + (h & 0xff) + "</b>";
                sales.add(new Sale(region, sku, (int) Long.remainderUnsigned(h >>> 43, 9), 100
                        + Long.remainderUnsigned(h >>> 23, 250_000), note));
            }
            return sales;
        }
    }

    /** Canonical SKU and amount; its own loop is the CPU the {@code deep} change multiplies. */
    static final class Normalizer {
        /** Passes over the SKU's characters (fractional: the change's factor scales the characters hashed). */
        private final double rounds;

        Normalizer(double rounds) {
            this.rounds = rounds;
        }

        Line normalize(Sale sale) {
            String sku = sale.sku();
            long h = 1125899906842597L;
            int steps = (int) Math.round(rounds * sku.length());
            for (int i = 0; i < steps; i++) {
                char c = sku.charAt(i % sku.length());
                h = 31 * h + (c == ' ' ? 0 : Character.toUpperCase(c)) + i;
            }
            double fx = 1.0 + (h & 0x3ff) / 100_000.0;
            return new Line(sale.region(), sku.strip(), sale.quantity(), sale.cents() * sale.quantity() * fx / 100.0,
                    sale.note());
        }
    }

    /** Percentiles of the amounts through commons-math3 (each sorts a copy): the {@code lib} change asks for more. */
    static final class Summary {
        private final int percentiles;

        Summary(int percentiles) {
            this.percentiles = percentiles;
        }

        double[] describe(List<Line> lines) {
            DescriptiveStatistics stats = new DescriptiveStatistics();
            for (Line line : lines) {
                stats.addValue(line.amount());
            }
            double[] out = new double[percentiles + 2];
            for (int p = 0; p < percentiles; p++) {
                out[p] = stats.getPercentile(5 + 90.0 * p / Math.max(1, percentiles - 1));
            }
            out[percentiles] = stats.getMean();
            out[percentiles + 1] = stats.getStandardDeviation();
            return out;
        }
    }

    /** A row's score: a small own-code loop over its note and amount, called from a stream's lambda. */
    static final class Scoring {
        private final int rounds;

        Scoring(int rounds) {
            this.rounds = rounds;
        }

        double score(Line line) {
            double s = 0;
            String note = line.note();
            for (int r = 0; r < rounds; r++) {
                s += Math.sqrt(line.amount() + r) * (note.charAt(r % note.length()) & 7);
            }
            return s;
        }
    }

    /** The HTML table through jsoup; notes split with Guava and cleaned with commons-lang3. */
    static final class Table {
        private static final Splitter COMMA = Splitter.on(',').trimResults().omitEmptyStrings();

        private Table() {
        }

        static String render(List<Line> top, int regions) {
            Document doc = Document.createShell("");
            doc.title("Sales report (" + regions + " regions)");
            Element table = doc.body().appendElement("table");
            for (Line line : top) {
                Element row = table.appendElement("tr");
                row.appendElement("td").text(line.region());
                row.appendElement("td").text(StringUtils.abbreviate(line.sku(), 12));
                row.appendElement("td").text(String.format(Locale.ROOT, "%,.2f", line.amount()));
                row.appendElement("td").text(String.join(" ", COMMA.splitToList(StringUtils.remove(
                        StringUtils.substringBefore(line.note(), "<"), ' '))));
            }
            return doc.outerHtml();
        }
    }
}
