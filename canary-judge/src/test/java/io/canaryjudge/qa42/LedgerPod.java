package io.canaryjudge.qa42;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.canaryjudge.scenario.OpenLoopPod;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One pod of a small ledger service (qa42, pod layouts), recorded to judge 1v1, 1v6, 2v6, 4v4, 6v2 and pods of very
 * uneven size. Every request posts {@code batch} transfers (default 12) of 120-279 entries: {@code Ledger.post} (balances), {@code Rules.evaluate}
 * (40 compliance rules), {@code Fx.convert} (currency conversion, about 5 % of CPU), {@code Journal.serialize}
 * (Jackson), {@code Audit.digest} (SHA-256 of the JSON, JDK) and {@code Statement.render} (String.format lines for
 * one request in four). Variants ({@code variant=}):
 * <ul>
 *   <li>{@code base} - the unchanged build;</li>
 *   <li>{@code slow} - {@code Fx.convert} rounds each amount {@code fxFactor} times as often (default 1.4);</li>
 *   <li>{@code newpath} - a new {@code Fraud.screen} per request (about 1-2 % of CPU);</li>
 *   <li>{@code alloc} - {@code Journal.serialize} keeps a padded copy of each journal line (allocation only).</li>
 * </ul>
 * Records {@code slices} JFR files of {@code sliceMillis} after {@code warmupMillis} with {@code requests.csv}
 * ({@link OpenLoopPod}). Run with {@code -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints}; bench/qa42-layouts.sh
 * starts the pods.
 */
public final class LedgerPod {
    private LedgerPod() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> map = OpenLoopPod.arguments(args);
        Path folder = Files.createDirectories(Path.of(map.get("output")));
        double rate = Double.parseDouble(map.getOrDefault("rate", "200"));
        int slices = Integer.parseInt(map.getOrDefault("slices", "4"));
        long sliceMillis = Long.parseLong(map.getOrDefault("sliceMillis", "10000"));
        long warmupMillis = Long.parseLong(map.getOrDefault("warmupMillis", "15000"));
        String variant = map.getOrDefault("variant", "base");
        double fxFactor = Double.parseDouble(map.getOrDefault("fxFactor", "1.4"));
        String profilerArgs = map.getOrDefault("profiler", "event=itimer,interval=4ms,alloc=64k");

        Service service = new Service(variant, fxFactor);
        int batch = Integer.parseInt(map.getOrDefault("batch", "12"));
        // One request posts a batch of transfers (a settlement run's page), so a request costs about a millisecond.
        OpenLoopPod pod = OpenLoopPod.start(4, rate, 2_000_000L, n -> {
            for (int k = 0; k < batch; k++) {
                service.handle(Transfer.of((n * batch + k) * 131 + Thread.currentThread().getId()));
            }
        });
        long[] requests = pod.record(folder, warmupMillis, slices, sliceMillis, profilerArgs);
        pod.report(folder, variant, rate, requests, sliceMillis, service.sink);
    }

    /** A transfer: an account, 120-279 entries of (account, cents, currency). */
    record Transfer(int account, int[] accounts, long[] cents, int[] currencies) {
        static Transfer of(long n) {
            long h = n * 0x9E3779B97F4A7C15L;
            int account = (int) Long.remainderUnsigned(h >>> 13, 50_000);
            int entries = 120 + (int) Long.remainderUnsigned(h >>> 5, 160);
            int[] accounts = new int[entries];
            long[] cents = new long[entries];
            int[] currencies = new int[entries];
            for (int i = 0; i < entries; i++) {
                accounts[i] = (account * 17 + i * 7919) % 50_000;
                cents[i] = 100 + (accounts[i] * 37L + i) % 100_000;
                currencies[i] = (account + i) % 6;
            }
            return new Transfer(account, accounts, cents, currencies);
        }
    }

    /** One journal line, what Jackson writes. */
    public record JournalLine(int account, long cents, String currency, long balance, String memo) {
    }

    static final class Service {
        private final Ledger ledger = new Ledger();
        private final Rules rules = new Rules();
        private final Fx fx;
        private final Journal journal;
        private final Audit audit = new Audit();
        private final Statement statement = new Statement();
        private final Fraud fraud;
        volatile long sink;

        Service(String variant, double fxFactor) {
            this.fx = new Fx(variant.equals("slow") ? fxFactor : 1.0);
            this.journal = new Journal(variant.equals("alloc"));
            this.fraud = variant.equals("newpath") ? new Fraud() : null;
        }

        void handle(Transfer transfer) {
            long[] converted = fx.convert(transfer);
            long[] balances = ledger.post(transfer, converted);
            long verdict = rules.evaluate(transfer, converted);
            if (fraud != null) {
                verdict += fraud.screen(transfer, converted);
            }
            byte[] json = journal.serialize(transfer, converted, balances);
            long digest = audit.digest(json);
            long text = transfer.account() % 4 == 0 ? statement.render(transfer, converted) : 0;
            sink += verdict + digest + text + json.length;
        }
    }

    /** Balances per account in a large table: a read-modify-write per entry plus a running check. */
    static final class Ledger {
        private final long[] balances = new long[50_000];

        synchronized long[] post(Transfer transfer, long[] converted) {
            long[] after = new long[converted.length];
            for (int round = 0; round < 30; round++) {
                for (int i = 0; i < converted.length; i++) {
                    int at = (transfer.accounts()[i] + round * 1009) % balances.length;
                    balances[at] += (i & 1) == 0 ? converted[i] : -converted[i];
                    after[i] ^= balances[at] * 31 + round;
                }
            }
            return after;
        }
    }

    /** Forty compliance rules, each a few comparisons over every entry. */
    static final class Rules {
        long evaluate(Transfer transfer, long[] converted) {
            long hits = 0;
            for (int rule = 0; rule < 40; rule++) {
                long limit = 1_000 + rule * 2_500L;
                for (int i = 0; i < converted.length; i++) {
                    long v = converted[i] * (rule + 3) % 1_000_003;
                    hits += v > limit ? 1 : 0;
                    hits += (transfer.accounts()[i] + rule) % 97 == 0 ? 3 : 0;
                }
            }
            return hits;
        }
    }

    /** Converts each amount to the ledger currency, rounding through a few steps of floating-point arithmetic. */
    static final class Fx {
        private static final double[] RATES = {1.0, 1.0843, 0.8571, 157.23, 0.9112, 7.2391};
        private final double factor;

        Fx(double factor) {
            this.factor = factor;
        }

        long[] convert(Transfer transfer) {
            int steps = (int) Math.round(14 * factor);
            long[] out = new long[transfer.cents().length];
            for (int i = 0; i < out.length; i++) {
                double v = transfer.cents()[i];
                double rate = RATES[transfer.currencies()[i]];
                for (int s = 0; s < steps; s++) {
                    v = Math.rint(v * rate * 1.0000001) / rate + Math.sqrt(s + 1.0) * 1e-9;
                }
                out[i] = (long) v;
            }
            return out;
        }
    }

    /** Jackson writes the journal lines. */
    static final class Journal {
        private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "JPY", "CHF", "CNY"};
        private final ObjectMapper mapper = new ObjectMapper();
        private final boolean padded;
        private final Object[] kept = new Object[16];
        private int next;

        Journal(boolean padded) {
            this.padded = padded;
        }

        byte[] serialize(Transfer transfer, long[] converted, long[] balances) {
            List<JournalLine> lines = new ArrayList<>(converted.length);
            for (int i = 0; i < converted.length; i++) {
                lines.add(new JournalLine(transfer.accounts()[i], converted[i], CURRENCIES[transfer.currencies()[i]],
                        balances[i], "transfer " + transfer.account()));
            }
            try {
                byte[] json = mapper.writeValueAsBytes(lines);
                if (padded) {
                    // The allocation-only change: each line's bytes copied into a fixed 512-byte record, the last 16
                    // journals kept (a retry buffer).
                    byte[][] records = new byte[lines.size()][];
                    for (int i = 0; i < records.length; i++) {
                        records[i] = new byte[512];
                        records[i][i % 512] = json[i % json.length];
                    }
                    synchronized (kept) {
                        kept[next++ & (kept.length - 1)] = records;
                    }
                }
                return json;
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** SHA-256 of the journal, as an audit trail would chain it. */
    static final class Audit {
        private final ThreadLocal<MessageDigest> sha = ThreadLocal.withInitial(() -> {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });

        long digest(byte[] json) {
            MessageDigest md = sha.get();
            byte[] d = json;
            for (int round = 0; round < 3; round++) {
                md.update(d);
                d = md.digest();
            }
            return HexFormat.of().formatHex(d).hashCode();
        }
    }

    /** A plain-text statement with String.format (one request in four asks for one). */
    static final class Statement {
        long render(Transfer transfer, long[] converted) {
            StringBuilder out = new StringBuilder(2048);
            for (int i = 0; i < converted.length; i++) {
                out.append(String.format(Locale.ROOT, "%6d %12.2f %s%n", transfer.accounts()[i], converted[i] / 100.0,
                        i % 2 == 0 ? "DR" : "CR"));
            }
            return out.toString().getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /** The new hot path: a velocity check over the transfer's entries. */
    static final class Fraud {
        long screen(Transfer transfer, long[] converted) {
            long score = 0;
            for (int round = 0; round < 6; round++) {
                for (int i = 0; i < converted.length; i++) {
                    score += (converted[i] ^ (transfer.accounts()[i] * 2654435761L + round)) % 13;
                }
            }
            return score;
        }
    }
}
