package io.canaryjudge.report;

import io.canaryjudge.judge.JudgeConfig;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The verdict documents the judge writes ({@code --format} on the command line). */
public enum ReportFormat {
    /** The verdict JSON (docs/API.md), for machines. */
    JSON("json", "application/json"),
    /** Plain text for a terminal, benchstat-style tables. */
    TEXT("text", "text/plain; charset=utf-8"),
    /** GitHub-flavoured Markdown, for CI comments. */
    MARKDOWN("markdown", "text/markdown; charset=utf-8"),
    /** One self-contained HTML page. */
    HTML("html", "text/html; charset=utf-8");

    private final String id;
    private final String mediaType;

    ReportFormat(String id, String mediaType) {
        this.id = id;
        this.mediaType = mediaType;
    }

    public String id() {
        return id;
    }

    public String mediaType() {
        return mediaType;
    }

    /**
     * A renderer for this format. {@code config} tells the human-readable formats which q-value counts
     * as significant for each function (they print "~" otherwise); JSON does not need it.
     */
    public VerdictRenderer renderer(JudgeConfig config) {
        return switch (this) {
            case JSON -> new VerdictJson();
            case TEXT -> new VerdictText(config);
            case MARKDOWN -> new VerdictMarkdown(config);
            case HTML -> new VerdictHtml(config);
        };
    }

    /**
     * @throws IllegalArgumentException naming the bad value and listing the valid ones
     */
    public static ReportFormat fromId(String id) {
        String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        for (ReportFormat format : values()) {
            if (format.id.equals(wanted)) {
                return format;
            }
        }
        throw new IllegalArgumentException("format \"" + id + "\" must be one of: " + validIds());
    }

    public static String validIds() {
        return Arrays.stream(values()).map(ReportFormat::id).collect(Collectors.joining(", ", "[", "]"));
    }
}
