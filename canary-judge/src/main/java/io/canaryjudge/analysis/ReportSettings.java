package io.canaryjudge.analysis;

/**
 * How reports describe the profile source.
 *
 * @param applicationLabel the label the source matches {@code application} against (Pyroscope's
 *                         {@code service_name}); null when the source has none (a local directory)
 * @param pyroscopeUrl     Pyroscope's base URL, for links to the same window in its UI; null without Pyroscope
 */
public record ReportSettings(String applicationLabel, String pyroscopeUrl) {
    /** A source without labels or UI (the local directory). */
    public static final ReportSettings NONE = new ReportSettings(null, null);
}
