package io.canaryjudge.noise;

import io.canaryjudge.judge.LearnedNoise;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link NoiseLessons} as JSON, for the CLI's {@code --learned-noise} file and the service's store. Each function
 * (type, measure, name) is named once, and each lesson lists {@code [function index, podVariance, df]}:
 * <pre>
 * {"format": "canary-judge learned noise 1",
 *  "functions": [["cpu", "self", "com.example.Foo.bar"], ["cpu", "inclusive", "com.example.Foo.bar"], ...],
 *  "lessons": [{"jvms": ["orders-6d4f8c7b9-x2k4p", ...], "noise": [[0, 0.0036, 2.0], [1, 0.0012, 2.0], ...],
 *               "intermittent": [[7, 1, 2]]}, ...]}
 * </pre>
 * {@code intermittent} (optional) lists frames the lesson's baseline windows ran in some windows and not in
 * others: {@code [function index, windows that ran it, windows that did not]}.
 * Lessons oldest first, one per analysis; {@code podVariance} is a squared CV (a pod's value varies by
 * √podVariance beyond sampling), {@code df} its degrees of freedom. Written compact and in a fixed order, so the
 * same lessons write the same text (24 lessons of a 1,000-function profile: about 1 MB, docs/BENCHMARKS.md).
 *
 * <p>The first layout, written before 2026-12-04 under the same {@code format}, named each function in every
 * lesson: {@code "lessons": [{"jvms": [...], "functions": [{"type": "cpu", "measure": "self", "function": "…",
 * "podVariance": 0.0036, "df": 2.0}, ...]}]}, without a top-level {@code functions}. It is still read, so lessons a
 * store or a {@code --learned-noise} file kept from then are not lost; writing always uses the layout above.
 */
public final class LearnedNoiseJson {
    public static final String FORMAT = "canary-judge learned noise 1";
    /**
     * Bounds on a lesson's values beyond which a file was edited by hand, not written by the judge: a squared CV
     * of ±100 is a pod CV of 1,000 % (the judge's own estimates from n JVMs stay below about n), and no analysis
     * has 10,000 JVMs. Both would silence (or, negative, remove) a function's noise for every later comparison.
     */
    private static final double MAX_POD_VARIANCE = LearnedNoise.MAX_POD_VARIANCE;
    private static final double MAX_DF = 10_000;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Comparator<LearnedNoise.Key> ORDER = Comparator.comparing(LearnedNoise.Key::type)
            .thenComparing(LearnedNoise.Key::measure).thenComparing(LearnedNoise.Key::function);

    private LearnedNoiseJson() {
    }

    public static String write(NoiseLessons lessons) {
        TreeMap<LearnedNoise.Key, Integer> index = new TreeMap<>(ORDER);
        for (NoiseLessons.Lesson lesson : lessons.lessons()) {
            lesson.taught().entries().keySet().forEach(key -> index.put(key, 0));
            lesson.taught().intermittent().keySet().forEach(key -> index.put(key, 0));
        }
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode functions = root.putArray("functions");
        int next = 0;
        for (Map.Entry<LearnedNoise.Key, Integer> e : index.entrySet()) {
            e.setValue(next++);
            functions.addArray().add(e.getKey().type().id()).add(e.getKey().measure().name().toLowerCase(Locale.ROOT))
                    .add(e.getKey().function());
        }
        ArrayNode array = root.putArray("lessons");
        for (NoiseLessons.Lesson lesson : lessons.lessons()) {
            ObjectNode node = array.addObject();
            ArrayNode jvms = node.putArray("jvms");
            lesson.jvms().forEach(jvms::add);
            ArrayNode noise = node.putArray("noise");
            List<LearnedNoise.Key> keys = new ArrayList<>(lesson.taught().entries().keySet());
            keys.sort(ORDER);
            for (LearnedNoise.Key key : keys) {
                LearnedNoise.Entry entry = lesson.taught().entries().get(key);
                noise.addArray().add(index.get(key)).add(entry.podVariance()).add(entry.df());
            }
            if (!lesson.taught().intermittent().isEmpty()) {
                ArrayNode intermittent = node.putArray("intermittent");
                List<LearnedNoise.Key> frames = new ArrayList<>(lesson.taught().intermittent().keySet());
                frames.sort(ORDER);
                for (LearnedNoise.Key key : frames) {
                    LearnedNoise.Windows windows = lesson.taught().intermittent().get(key);
                    intermittent.addArray().add(index.get(key)).add(windows.ran()).add(windows.notRan());
                }
            }
        }
        return MAPPER.writeValueAsString(root);
    }

    /**
     * @throws InvalidLearnedNoiseException naming the field and what is wrong with it
     */
    public static NoiseLessons read(String text) throws InvalidLearnedNoiseException {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new InvalidLearnedNoiseException("not valid JSON" + at(e) + ": " + withoutSource(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidLearnedNoiseException("expected a JSON object with \"format\": \"" + FORMAT + "\"");
        }
        if (root.path("format").isMissingNode()) {
            throw new InvalidLearnedNoiseException("format is missing: expected \"format\": \"" + FORMAT + "\"");
        }
        if (!FORMAT.equals(root.path("format").asString(null))) {
            throw new InvalidLearnedNoiseException("format: expected \"" + FORMAT + "\", got " + root.path("format"));
        }
        JsonNode array = root.path("lessons");
        boolean firstLayout = root.path("functions").isMissingNode() && array.isArray()
                && (array.isEmpty() || array.get(0).has("functions"));
        List<LearnedNoise.Key> keys = firstLayout ? List.of() : functions(root.path("functions"));
        if (!array.isArray()) {
            throw new InvalidLearnedNoiseException("lessons: expected an array, got " + shown(array));
        }
        List<NoiseLessons.Lesson> lessons = new ArrayList<>();
        for (int l = 0; l < array.size(); l++) {
            String at = "lessons[" + l + "]";
            JsonNode lesson = array.get(l);
            JsonNode jvmArray = lesson.path("jvms");
            if (!jvmArray.isArray() || jvmArray.isEmpty()) {
                throw new InvalidLearnedNoiseException(at + ".jvms: expected a non-empty array of names, got " + shown(jvmArray));
            }
            Set<String> jvms = new LinkedHashSet<>();
            for (int j = 0; j < jvmArray.size(); j++) {
                if (!jvmArray.get(j).isString()) {
                    throw new InvalidLearnedNoiseException(at + ".jvms[" + j + "]: expected a string, got " + jvmArray.get(j));
                }
                jvms.add(jvmArray.get(j).stringValue());
            }
            lessons.add(new NoiseLessons.Lesson(jvms, firstLayout
                    ? new LearnedNoise(firstLayoutFunctions(lesson.path("functions"), at), 1)
                    : new LearnedNoise(noise(lesson.path("noise"), keys, at),
                    intermittent(lesson.path("intermittent"), keys, at), 1)));
        }
        return new NoiseLessons(lessons);
    }

    private static List<LearnedNoise.Key> functions(JsonNode functions) throws InvalidLearnedNoiseException {
        if (!functions.isArray()) {
            throw new InvalidLearnedNoiseException("functions: expected an array, got " + shown(functions));
        }
        List<LearnedNoise.Key> keys = new ArrayList<>(functions.size());
        Set<LearnedNoise.Key> seen = new HashSet<>();
        for (int i = 0; i < functions.size(); i++) {
            JsonNode f = functions.get(i);
            String at = "functions[" + i + "]";
            if (!f.isArray() || f.size() != 3 || !f.get(0).isString() || !f.get(1).isString() || !f.get(2).isString()
                    || f.get(2).stringValue().isEmpty()) {
                throw new InvalidLearnedNoiseException(at + ": expected [type, measure, function name], got " + f);
            }
            try {
                LearnedNoise.Key key = new LearnedNoise.Key(ProfileType.fromId(f.get(0).stringValue()),
                        measure(f.get(1).stringValue(), at), f.get(2).stringValue());
                if (!seen.add(key)) {
                    throw new InvalidLearnedNoiseException(at + ": " + key.function() + " (" + key.type().id() + ", "
                            + f.get(1).stringValue() + ") listed twice");
                }
                keys.add(key);
            } catch (IllegalArgumentException e) {
                throw new InvalidLearnedNoiseException(at + ": " + e.getMessage());
            }
        }
        return keys;
    }

    /** A lesson's intermittent frames: {@code [function index, windows that ran it, windows that did not]}. */
    private static Map<LearnedNoise.Key, LearnedNoise.Windows> intermittent(JsonNode rows, List<LearnedNoise.Key> keys,
                                                                          String lessonAt)
            throws InvalidLearnedNoiseException {
        Map<LearnedNoise.Key, LearnedNoise.Windows> frames = new HashMap<>();
        if (rows.isMissingNode()) {
            return frames;
        }
        if (!rows.isArray()) {
            throw new InvalidLearnedNoiseException(lessonAt + ".intermittent: expected an array, got " + shown(rows));
        }
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            String at = lessonAt + ".intermittent[" + i + "]";
            if (!row.isArray() || row.size() != 3 || !row.get(0).canConvertToInt() || !row.get(1).canConvertToInt()
                    || !row.get(2).canConvertToInt()) {
                throw new InvalidLearnedNoiseException(at + ": expected [function index, windows that ran it, windows "
                        + "that did not], got " + row);
            }
            int index = row.get(0).intValue();
            if (index < 0 || index >= keys.size()) {
                throw new InvalidLearnedNoiseException(at + ": function index " + index + " is not in functions (0–"
                        + (keys.size() - 1) + ")");
            }
            try {
                frames.put(keys.get(index), new LearnedNoise.Windows(row.get(1).intValue(), row.get(2).intValue()));
            } catch (IllegalArgumentException e) {
                throw new InvalidLearnedNoiseException(at + ": " + e.getMessage());
            }
        }
        return frames;
    }

    private static Map<LearnedNoise.Key, LearnedNoise.Entry> noise(JsonNode noise, List<LearnedNoise.Key> keys,
                                                                 String lessonAt) throws InvalidLearnedNoiseException {
        if (!noise.isArray()) {
            throw new InvalidLearnedNoiseException(lessonAt + ".noise: expected an array, got " + shown(noise));
        }
        Map<LearnedNoise.Key, LearnedNoise.Entry> entries = new HashMap<>(noise.size() * 2);
        for (int i = 0; i < noise.size(); i++) {
            JsonNode row = noise.get(i);
            String at = lessonAt + ".noise[" + i + "]";
            if (!row.isArray() || row.size() != 3 || !row.get(0).canConvertToInt() || !row.get(1).isNumber()
                    || !row.get(2).isNumber()) {
                throw new InvalidLearnedNoiseException(at + ": expected [function index, podVariance, df], got " + row);
            }
            int index = row.get(0).intValue();
            if (index < 0 || index >= keys.size()) {
                throw new InvalidLearnedNoiseException(at + ": function index " + index + " is not in functions (0–"
                        + (keys.size() - 1) + ")");
            }
            if (entries.put(keys.get(index), entry(row.get(1), row.get(2), at)) != null) {
                throw new InvalidLearnedNoiseException(at + ": function " + index + " listed twice");
            }
        }
        return entries;
    }

    /**
     * A lesson's functions in the first layout: {@code [{"type", "measure", "function", "podVariance", "df"}, ...]},
     * each function named in full.
     */
    private static Map<LearnedNoise.Key, LearnedNoise.Entry> firstLayoutFunctions(JsonNode functions, String lessonAt)
            throws InvalidLearnedNoiseException {
        if (!functions.isArray()) {
            throw new InvalidLearnedNoiseException(lessonAt + ".functions: expected an array, got " + shown(functions));
        }
        Map<LearnedNoise.Key, LearnedNoise.Entry> entries = new HashMap<>(functions.size() * 2);
        for (int i = 0; i < functions.size(); i++) {
            JsonNode f = functions.get(i);
            String at = lessonAt + ".functions[" + i + "]";
            if (!f.path("type").isString() || !f.path("measure").isString() || !f.path("function").isString()
                    || f.path("function").stringValue().isEmpty() || !f.path("podVariance").isNumber()
                    || !f.path("df").isNumber()) {
                throw new InvalidLearnedNoiseException(at + ": expected {\"type\", \"measure\", \"function\","
                        + " \"podVariance\", \"df\"}, got " + f);
            }
            LearnedNoise.Key key;
            try {
                key = new LearnedNoise.Key(ProfileType.fromId(f.get("type").stringValue()),
                        measure(f.get("measure").stringValue(), at), f.get("function").stringValue());
            } catch (IllegalArgumentException e) {
                throw new InvalidLearnedNoiseException(at + ": " + e.getMessage());
            }
            if (entries.put(key, entry(f.get("podVariance"), f.get("df"), at)) != null) {
                throw new InvalidLearnedNoiseException(at + ": " + key.function() + " (" + key.type().id() + ", "
                        + f.get("measure").stringValue() + ") listed twice");
            }
        }
        return entries;
    }

    /** One function's noise, refused beyond what the judge writes ({@link #MAX_POD_VARIANCE}, {@link #MAX_DF}). */
    private static LearnedNoise.Entry entry(JsonNode podVarianceNode, JsonNode dfNode, String at)
            throws InvalidLearnedNoiseException {
        double podVariance = podVarianceNode.doubleValue();
        double df = dfNode.doubleValue();
        if (Double.isFinite(podVariance) && Math.abs(podVariance) > MAX_POD_VARIANCE) {
            throw new InvalidLearnedNoiseException(at + ": podVariance " + podVarianceNode + " is no JVM's noise: it is a"
                    + " squared CV (0.01 = pods differ by 10 %), within ±" + (int) MAX_POD_VARIANCE
                    + "; was a percentage written?");
        }
        if (df > MAX_DF) {
            throw new InvalidLearnedNoiseException(at + ": df " + dfNode + " is more degrees of freedom than"
                    + " one analysis's JVMs give (at most " + (int) MAX_DF + ")");
        }
        try {
            return new LearnedNoise.Entry(podVariance, df);
        } catch (IllegalArgumentException e) {
            throw new InvalidLearnedNoiseException(at + ": " + e.getMessage());
        }
    }

    private static Measure measure(String text, String at) throws InvalidLearnedNoiseException {
        return switch (text) {
            case "self" -> Measure.SELF;
            case "inclusive" -> Measure.INCLUSIVE;
            default -> throw new InvalidLearnedNoiseException(at + ".measure: expected \"self\" or \"inclusive\", got \""
                    + text + "\"");
        };
    }

    /** A node as the error shows it: missing ones as "nothing". */
    /** Where the parser stopped, " at line L, column C", when it knows. */
    private static String at(JacksonException e) {
        var location = e.getLocation();
        return location == null || location.getLineNr() <= 0 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /**
     * The parser's message without the source descriptions it embeds ("start marker at [Source: REDACTED
     * (`StreamReadFeature…` disabled); byte offset: #UNKNOWN]"): parser internals, not the file's problem.
     */
    static String withoutSource(String message) {
        return message == null ? "" : message.replaceAll("\\s*(at )?\\[Source: [^\\]]*\\]", "").strip();
    }

    private static String shown(JsonNode node) {
        return node.isMissingNode() ? "nothing" : node.toString();
    }
}
