package io.canaryjudge.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What exactly was compared, so a reader can reproduce it: where the profiles came from, how each
 * group was selected, the time window and the queries sent. The caller fills it in (the service
 * with its Pyroscope selectors and window, the command line with its file paths); the report shows
 * it verbatim (escaped) and links to the same window in Pyroscope when it can.
 *
 * @param source       where the profiles came from, in words: {@code "files"}, {@code "upload"},
 *                     {@code "pyroscope"}
 * @param application  the application (Pyroscope {@code service_name}); null when not applicable
 * @param baseline     how the baseline was selected
 * @param canary       how the canary was selected
 * @param start        start of the compared window; null when unknown (files)
 * @param end          end of the compared window; null when unknown
 * @param queries      each query sent to a store, in order (Pyroscope, Prometheus), exactly as sent
 * @param pyroscopeUrl base URL of the Pyroscope UI for links (e.g. {@code http://pyroscope:4040});
 *                     null when none is configured
 */
public record AnalysisContext(String source, String application, Selection baseline, Selection canary,
                              Instant start, Instant end, List<Query> queries, String pyroscopeUrl) {
    public AnalysisContext {
        Objects.requireNonNull(source, "source");
        baseline = baseline == null ? Selection.NONE : baseline;
        canary = canary == null ? Selection.NONE : canary;
        queries = queries == null ? List.of() : List.copyOf(queries);
    }

    /** Nothing known beyond the verdict (a report rebuilt from an old verdict). */
    public static final AnalysisContext UNKNOWN = new AnalysisContext("unknown", null, Selection.NONE,
            Selection.NONE, null, null, List.of(), null);

    /** The command line's context: each group's instance paths. */
    public static AnalysisContext files(List<String> baselinePaths, List<String> canaryPaths) {
        return new AnalysisContext("files", null, new Selection(null, null, baselinePaths),
                new Selection(null, null, canaryPaths), null, null, List.of(), null);
    }

    /**
     * How one group was selected.
     *
     * @param selector       the label selector, e.g. {@code {service_name="checkout",rollouts_pod_template_hash="6d4f8c7b9"}};
     *                       null for files and uploads
     * @param pyroscopeQuery the Pyroscope UI query of the main profile type, profile type id and
     *                       selector, e.g. {@code process_cpu:cpu:nanoseconds:cpu:nanoseconds{service_name="checkout"}};
     *                       null when there is no Pyroscope
     * @param inputs         the instances read: file paths, uploaded part names or pod names
     */
    public record Selection(String selector, String pyroscopeQuery, List<String> inputs) {
        public static final Selection NONE = new Selection(null, null, List.of());

        public Selection {
            inputs = inputs == null ? List.of() : List.copyOf(inputs);
        }
    }

    /**
     * One query sent to a store.
     *
     * @param system which store: {@code pyroscope}, {@code prometheus}
     * @param text   the query as sent (a Pyroscope request's profile type and selector, a PromQL expression)
     */
    public record Query(String system, String text) {
        public Query {
            Objects.requireNonNull(system, "system");
            Objects.requireNonNull(text, "text");
        }
    }
}
