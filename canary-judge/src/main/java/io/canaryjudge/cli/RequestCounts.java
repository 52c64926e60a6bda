package io.canaryjudge.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Requests served per profile file of one instance directory, from its {@code requests.csv}:
 * <pre>
 * profile,requests
 * slice-00.jfr.gz,12034
 * slice-01.jfr.gz,11876
 * </pre>
 * The header is required; each row names a file of the same directory (a name, not a path) and the
 * whole number of requests that instance served during that profile. Blank lines and lines starting
 * with {@code #} are ignored. A row for a file that is not in the directory, a duplicate row or a
 * count that is not a whole number ≥ 0 is an error naming the line; profiles without a row have no
 * request count (the judge compares cost per request only when every observation has one).
 */
final class RequestCounts {
    /** The file name looked for in each instance directory. */
    static final String FILE_NAME = "requests.csv";
    /** Largest requests.csv read, bytes (one short line per profile file). */
    static final long MAX_BYTES = 16L << 20;

    private RequestCounts() {
    }

    /**
     * @param csv   the requests.csv file
     * @param files names of the regular files in its directory
     * @return requests per file name (unmodifiable)
     * @throws InvalidInputException naming the csv line and the problem
     */
    static Map<String, Long> read(Path csv, Set<String> files) throws InvalidInputException {
        List<String> lines;
        try {
            if (Files.size(csv) > MAX_BYTES) {
                throw new InvalidInputException(csv + ": larger than " + MAX_BYTES + " bytes");
            }
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(csv + ": cannot read: " + e.getMessage(), e);
        }
        Map<String, Long> counts = new HashMap<>();
        boolean header = false;
        for (int i = 0; i < lines.size(); i++) {
            String where = csv + " line " + (i + 1) + ": ";
            String line = lines.get(i);
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
                    throw new InvalidInputException(where + "expected the header \"profile,requests\", was \"" + line + "\"");
                }
                header = true;
                continue;
            }
            if (fields.length != 2) {
                throw new InvalidInputException(where + "expected 2 fields \"profile,requests\", was \"" + line + "\"");
            }
            String profile = fields[0].strip();
            String requests = fields[1].strip();
            if (!files.contains(profile)) {
                throw new InvalidInputException(where + "no file \"" + profile + "\" in " + csv.getParent()
                        + " (name a profile file of this directory)");
            }
            long count;
            try {
                count = Long.parseLong(requests);
            } catch (NumberFormatException e) {
                count = -1;
            }
            if (count < 0) {
                throw new InvalidInputException(where + "requests \"" + requests + "\" must be a whole number >= 0");
            }
            if (counts.put(profile, count) != null) {
                throw new InvalidInputException(where + "second row for \"" + profile + "\"");
            }
        }
        if (!header) {
            throw new InvalidInputException(csv + " line 1: expected the header \"profile,requests\", the file is empty");
        }
        return Collections.unmodifiableMap(counts);
    }
}
