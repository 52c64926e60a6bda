package io.canaryjudge.profile.source.local;

import io.canaryjudge.profile.source.LabelMatcher;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The labels of one local pod, from its optional {@code labels.properties} ({@code name=value} per line,
 * Java properties syntax, UTF-8), as a profile store would attach them to the pod's profiles. The
 * {@code pod} label defaults to the directory name.
 */
public final class PodLabels {
    /** The file name looked for in each pod directory. */
    public static final String FILE_NAME = "labels.properties";
    /** Default instance label, set to the directory name when the file does not give it. */
    public static final String POD = "pod";
    /** Largest labels file read, bytes (a handful of short lines). */
    static final long MAX_BYTES = 64 << 10;
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private PodLabels() {
    }

    /**
     * @param podDirectory the pod's directory
     * @return the labels (sorted by name, unmodifiable), {@code pod} defaulting to the directory name
     * @throws InvalidLabelsException naming the file and the bad label
     * @throws IOException            the file exists but cannot be read
     */
    public static Map<String, String> read(Path podDirectory) throws InvalidLabelsException, IOException {
        Path file = podDirectory.resolve(FILE_NAME);
        Map<String, String> labels = new TreeMap<>();
        if (Files.isRegularFile(file)) {
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidLabelsException(file + ": larger than " + MAX_BYTES + " bytes");
            }
            labels.putAll(parse(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
        }
        labels.putIfAbsent(POD, podDirectory.getFileName().toString());
        return Collections.unmodifiableMap(labels);
    }

    /** Parses properties text; every name must be a label name ({@code [a-zA-Z_][a-zA-Z0-9_]*}). */
    static Map<String, String> parse(String text, String source) throws InvalidLabelsException {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidLabelsException(source + ": not a properties file: " + e.getMessage());
        }
        Map<String, String> labels = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (!NAME.matcher(name).matches()) {
                throw new InvalidLabelsException(source + ": label name \"" + name
                        + "\" must match [a-zA-Z_][a-zA-Z0-9_]* (as Pyroscope and Prometheus label names do)");
            }
            labels.put(name, properties.getProperty(name));
        }
        return labels;
    }

    /**
     * Whether every matcher holds; as in PromQL, a matcher with an empty value holds when the label is
     * absent (or empty).
     */
    public static boolean matches(Map<String, String> labels, List<LabelMatcher> matchers) {
        for (LabelMatcher matcher : matchers) {
            String value = labels.getOrDefault(matcher.name(), "");
            if (!value.equals(matcher.value())) {
                return false;
            }
        }
        return true;
    }

    /** A {@code labels.properties} that cannot be used; the message names the file and the problem. */
    public static final class InvalidLabelsException extends Exception {
        public InvalidLabelsException(String message) {
            super(message);
        }
    }
}
