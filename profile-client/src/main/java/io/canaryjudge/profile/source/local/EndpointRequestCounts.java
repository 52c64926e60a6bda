package io.canaryjudge.profile.source.local;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Requests served per endpoint and profile file of one instance (pod), from its {@code endpoints.csv}:
 * <pre>
 * profile,endpoint,requests
 * slice-1.jfr,/search,389
 * slice-1.jfr,/quote,221
 * </pre>
 * The request mix a pod served (Micrometer's {@code http_server_requests_seconds_count} by {@code uri}): a canary behind a
 * header route or an A/B match serves another mix than the baseline by design, and shares move with it
 * (docs/EVALUATION.md "Canaries that serve a different request mix (qa79)"). The header is required; each row names a
 * profile file of the same instance, an endpoint (any text without a comma) and a whole number ≥ 0; blank lines and
 * lines starting with {@code #} are ignored. A row for a file the instance does not have, a second row for the same file
 * and endpoint, or a bad count is an error naming the line. An endpoint a file has no row for served none in it.
 */
public final class EndpointRequestCounts {
    /** The file name looked for in each instance directory. */
    public static final String FILE_NAME = "endpoints.csv";
    /** Largest endpoints.csv read, bytes. */
    public static final long MAX_BYTES = 16L << 20;

    private EndpointRequestCounts() {
    }

    /**
     * Slice i of n's part of a file's endpoint counts (a file that holds several profiles, e.g. one {@code --slice}
     * cut): whole requests, the parts summing to the file's count, so a pooled mix counts each request once.
     *
     * @return null for null, the counts themselves for n = 1
     */
    public static Map<String, Long> sliceOf(Map<String, Long> endpoints, int i, int n) {
        if (endpoints == null || n == 1) {
            return endpoints;
        }
        Map<String, Long> part = new LinkedHashMap<>();
        endpoints.forEach((endpoint, requests) -> part.put(endpoint, requests * (i + 1) / n - requests * i / n));
        return part;
    }

    /** All the requests of a mix: a file without a requests.csv row served this many (every request was some endpoint's). */
    public static long total(Map<String, Long> endpoints) {
        return endpoints.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * @param csv   the endpoints.csv file
     * @param files names of the profile files of its instance
     * @return per file name, requests per endpoint (unmodifiable, endpoints in the order first named)
     * @throws InvalidRequestCountsException naming the csv file, the line and the problem
     */
    public static Map<String, Map<String, Long>> read(Path csv, Set<String> files)
            throws InvalidRequestCountsException {
        return parse(RequestCounts.readText(csv), csv.toString(), files);
    }

    /** As {@link #read}, from the csv's content; {@code source} names it in messages. */
    public static Map<String, Map<String, Long>> parse(String text, String source, Set<String> files)
            throws InvalidRequestCountsException {
        String[] lines = text.split("\r?\n|\r", -1);
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        boolean header = false;
        for (int i = 0; i < lines.length; i++) {
            String where = source + " line " + (i + 1) + ": ";
            String line = i == 0 && lines[i].startsWith("\uFEFF") ? lines[i].substring(1) : lines[i];
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (!header) {
                if (fields.length != 3 || !fields[0].strip().toLowerCase(Locale.ROOT).equals("profile")
                        || !fields[1].strip().toLowerCase(Locale.ROOT).equals("endpoint")
                        || !fields[2].strip().toLowerCase(Locale.ROOT).equals("requests")) {
                    throw new InvalidRequestCountsException(where + "expected the header \"profile,endpoint,requests\", "
                            + "was \"" + line + "\"");
                }
                header = true;
                continue;
            }
            if (fields.length != 3) {
                throw new InvalidRequestCountsException(where + "expected 3 fields (profile,endpoint,requests), found "
                        + fields.length);
            }
            String profile = fields[0].strip();
            String endpoint = fields[1].strip();
            String requests = fields[2].strip();
            RequestCounts.requireProfile(profile, files, where, source);
            if (endpoint.isEmpty()) {
                throw new InvalidRequestCountsException(where + "the endpoint is empty");
            }
            long count = RequestCounts.requestsOf(requests, where);
            if (counts.computeIfAbsent(profile, p -> new LinkedHashMap<>()).put(endpoint, count) != null) {
                throw new InvalidRequestCountsException(where + "second row for \"" + profile + "\" and \"" + endpoint
                        + "\"");
            }
        }
        if (!header) {
            throw new InvalidRequestCountsException(source
                    + " line 1: expected the header \"profile,endpoint,requests\", the file is empty");
        }
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        counts.forEach((file, byEndpoint) -> out.put(file, Collections.unmodifiableMap(byEndpoint)));
        return Collections.unmodifiableMap(out);
    }
}
