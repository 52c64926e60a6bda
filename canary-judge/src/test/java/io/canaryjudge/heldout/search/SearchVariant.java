package io.canaryjudge.heldout.search;

import java.util.Locale;
import java.util.Map;

/**
 * What one build of the search service does differently from the baseline build. Every field has a
 * neutral (baseline) value; a held-out scenario changes one. Written to and read from
 * {@code key=value} arguments so the recording driver can hand it to a pod process.
 *
 * @param program          {@code search} (the service) or {@code reindex} (a different program:
 *                         a bulk re-indexing job, for the "canary is another program" scenario)
 * @param rerankFactor     work of {@code ResultRanker.rerank} relative to the baseline's (1.2 = 20 % more
 *                         feature passes in that method's own code)
 * @param rowAudit         when true, {@code RecordStore.load} also runs {@code RowAuditor.verify} on the
 *                         loaded rows (a new hot path, absent in the baseline)
 * @param copyPayloads     when true, {@code ResponseFormatter.format} copies every row's payload before
 *                         reading it (more allocation, almost no CPU)
 * @param compressionLevel zstd level of {@code PayloadCompressor.compress} (native code through JNI);
 *                         the baseline uses 1
 * @param skewedWarmup     when true, the pod's first warm-up seconds serve only single-term queries, so
 *                         the JIT compiles the hot paths from a different type and branch profile
 *                         (same code: a JIT-sensitive A/A)
 */
public record SearchVariant(String program, double rerankFactor, boolean rowAudit, boolean copyPayloads,
                            int compressionLevel, boolean skewedWarmup) {

    public static final int BASELINE_COMPRESSION_LEVEL = 1;

    public SearchVariant {
        if (!"search".equals(program) && !"reindex".equals(program)) {
            throw new IllegalArgumentException("program must be search or reindex, was " + program);
        }
        if (!(rerankFactor > 0)) {
            throw new IllegalArgumentException("rerankFactor must be > 0, was " + rerankFactor);
        }
        if (compressionLevel < 1 || compressionLevel > 19) {
            throw new IllegalArgumentException("compressionLevel must be 1..19, was " + compressionLevel);
        }
    }

    public static SearchVariant baseline() {
        return new SearchVariant("search", 1.0, false, false, BASELINE_COMPRESSION_LEVEL, false);
    }

    public SearchVariant withProgram(String newProgram) {
        return new SearchVariant(newProgram, rerankFactor, rowAudit, copyPayloads, compressionLevel, skewedWarmup);
    }

    public SearchVariant withRerankFactor(double factor) {
        return new SearchVariant(program, factor, rowAudit, copyPayloads, compressionLevel, skewedWarmup);
    }

    public SearchVariant withRowAudit(boolean audit) {
        return new SearchVariant(program, rerankFactor, audit, copyPayloads, compressionLevel, skewedWarmup);
    }

    public SearchVariant withCopyPayloads(boolean copy) {
        return new SearchVariant(program, rerankFactor, rowAudit, copy, compressionLevel, skewedWarmup);
    }

    public SearchVariant withCompressionLevel(int level) {
        return new SearchVariant(program, rerankFactor, rowAudit, copyPayloads, level, skewedWarmup);
    }

    public SearchVariant withSkewedWarmup(boolean skewed) {
        return new SearchVariant(program, rerankFactor, rowAudit, copyPayloads, compressionLevel, skewed);
    }

    /** The variant as {@code key=value} arguments, the inverse of {@link #fromArguments}. */
    public String[] toArguments() {
        return new String[] {
            "program=" + program,
            "rerankFactor=" + rerankFactor,
            "rowAudit=" + rowAudit,
            "copyPayloads=" + copyPayloads,
            "compressionLevel=" + compressionLevel,
            "skewedWarmup=" + skewedWarmup,
        };
    }

    /** Reads the variant from {@code key=value} pairs; missing keys keep the baseline value. */
    public static SearchVariant fromArguments(Map<String, String> arguments) {
        SearchVariant base = baseline();
        return new SearchVariant(arguments.getOrDefault("program", base.program),
                Double.parseDouble(arguments.getOrDefault("rerankFactor", "" + base.rerankFactor)),
                Boolean.parseBoolean(arguments.getOrDefault("rowAudit", "false")),
                Boolean.parseBoolean(arguments.getOrDefault("copyPayloads", "false")),
                Integer.parseInt(arguments.getOrDefault("compressionLevel", "" + base.compressionLevel)),
                Boolean.parseBoolean(arguments.getOrDefault("skewedWarmup", "false")));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SearchVariant[program=%s, rerankFactor=%s, rowAudit=%s, copyPayloads=%s, "
                        + "compressionLevel=%d, skewedWarmup=%s]", program, rerankFactor, rowAudit, copyPayloads,
                compressionLevel, skewedWarmup);
    }
}
