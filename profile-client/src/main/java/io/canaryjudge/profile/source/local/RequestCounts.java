package io.canaryjudge.profile.source.local;

import io.canaryjudge.profile.RegularFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Requests served per profile file of one instance (pod), from its {@code requests.csv}:
 * <pre>
 * profile,requests
 * slice-00.jfr.gz,12034
 * slice-01.jfr.gz,11876
 * </pre>
 * The header is required; each row names a profile file of the same instance (a name, not a path)
 * and the whole number of requests that instance served during that profile. Blank lines and lines
 * starting with {@code #} are ignored. A row for a file the instance does not have, a duplicate row
 * or a count that is not a whole number ≥ 0 is an error naming the line; profiles without a row have
 * no request count (the judge compares cost per request only when every observation has one).
 *
 * <p>Used by the {@code compare} command, the local directory source and uploads alike.
 */
public final class RequestCounts {
    /** The file name looked for in each instance directory (and among an instance's uploaded files). */
    public static final String FILE_NAME = "requests.csv";
    /** Largest requests.csv read, bytes (one short line per profile file). */
    public static final long MAX_BYTES = 16L << 20;

    private RequestCounts() {
    }

    /**
     * @param csv   the requests.csv file
     * @param files names of the profile files of its instance (the regular files of its directory)
     * @return requests per file name (unmodifiable)
     * @throws InvalidRequestCountsException naming the csv file, the line and the problem
     */
    public static Map<String, Long> read(Path csv, Set<String> files) throws InvalidRequestCountsException {
        return parse(readText(csv), csv.toString(), files);
    }

    /**
     * @param text   the csv's content
     * @param source where it came from (file or upload name), for messages
     * @param files  names of the profile files of its instance
     * @return requests per file name (unmodifiable)
     * @throws InvalidRequestCountsException naming the source, the line and the problem
     */
    public static Map<String, Long> parse(String text, String source, Set<String> files)
            throws InvalidRequestCountsException {
        String[] lines = text.split("\r?\n|\r", -1);
        Map<String, Long> counts = new HashMap<>();
        boolean header = false;
        for (int i = 0; i < lines.length; i++) {
            String where = source + " line " + (i + 1) + ": ";
            String line = lines[i];
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (!header) {
                if (fields.length != 2 || !fields[0].strip().toLowerCase(Locale.ROOT).equals("profile")
                        || !fields[1].strip().toLowerCase(Locale.ROOT).equals("requests")) {
                    throw new InvalidRequestCountsException(where + "expected the header \"profile,requests\", was \""
                            + line + "\"");
                }
                header = true;
                continue;
            }
            if (fields.length != 2) {
                throw new InvalidRequestCountsException(where + "expected 2 fields \"profile,requests\", was \"" + line
                        + "\"");
            }
            String profile = fields[0].strip();
            String requests = fields[1].strip();
            requireProfile(profile, files, where, source);
            long count = requestsOf(requests, where);
            if (counts.put(profile, count) != null) {
                throw new InvalidRequestCountsException(where + "second row for \"" + profile + "\"");
            }
        }
        if (!header) {
            throw new InvalidRequestCountsException(source
                    + " line 1: expected the header \"profile,requests\", the file is empty");
        }
        return Collections.unmodifiableMap(counts);
    }

    /** The csv's text, refused past {@link #MAX_BYTES} (also {@link EndpointRequestCounts}'s reader). */
    static String readText(Path csv) throws InvalidRequestCountsException {
        try {
            if (RegularFile.size(csv) > MAX_BYTES) {
                throw new InvalidRequestCountsException(csv + ": larger than " + MAX_BYTES + " bytes");
            }
            return Files.readString(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidRequestCountsException(csv + ": cannot read: " + LocalDirectorySource.describe(e), e);
        }
    }

    /** A row names one of its instance's profile files, or the row is refused naming the line. */
    static void requireProfile(String profile, Set<String> files, String where, String source)
            throws InvalidRequestCountsException {
        if (!files.contains(profile)) {
            throw new InvalidRequestCountsException(where + "no file \"" + profile + "\" beside " + source
                    + " (name a profile file of this instance)");
        }
    }

    /** A row's request count: a whole number ≥ 0, or the row is refused naming the line. */
    static long requestsOf(String requests, String where) throws InvalidRequestCountsException {
        long count;
        try {
            count = Long.parseLong(requests);
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 0) {
            throw new InvalidRequestCountsException(where + "requests \"" + requests + "\" must be a whole number >= 0");
        }
        return count;
    }
}
