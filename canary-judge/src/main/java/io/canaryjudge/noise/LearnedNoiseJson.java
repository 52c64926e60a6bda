package io.canaryjudge.noise;

import io.canaryjudge.judge.LearnedNoise;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link NoiseLessons} as JSON, for the CLI's {@code --learned-noise} file and the service's store:
 * <pre>
 * {"format": "canary-judge learned noise 1",
 *  "lessons": [{"jvms": ["orders-6d4f8c7b9-x2k4p", ...],
 *               "functions": [{"type": "cpu", "measure": "self", "function": "com.example.Foo.bar",
 *                              "podVariance": 0.0036, "df": 2.0}, ...]}, ...]}
 * </pre>
 * Lessons oldest first, one per analysis; {@code podVariance} is a squared CV (a pod's value varies by
 * √podVariance beyond sampling), {@code df} its degrees of freedom. Functions are written in a fixed order, so
 * the same lessons write the same text.
 */
public final class LearnedNoiseJson {
    public static final String FORMAT = "canary-judge learned noise 1";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private LearnedNoiseJson() {
    }

    public static String write(NoiseLessons lessons) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode array = root.putArray("lessons");
        for (NoiseLessons.Lesson lesson : lessons.lessons()) {
            ObjectNode node = array.addObject();
            ArrayNode jvms = node.putArray("jvms");
            lesson.jvms().forEach(jvms::add);
            ArrayNode functions = node.putArray("functions");
            List<Map.Entry<LearnedNoise.Key, LearnedNoise.Entry>> entries = new ArrayList<>(lesson.taught().entries().entrySet());
            entries.sort(Comparator.comparing((Map.Entry<LearnedNoise.Key, LearnedNoise.Entry> e) -> e.getKey().type())
                    .thenComparing(e -> e.getKey().measure()).thenComparing(e -> e.getKey().function()));
            for (Map.Entry<LearnedNoise.Key, LearnedNoise.Entry> e : entries) {
                ObjectNode f = functions.addObject();
                f.put("type", e.getKey().type().id());
                f.put("measure", e.getKey().measure().name().toLowerCase(Locale.ROOT));
                f.put("function", e.getKey().function());
                f.put("podVariance", e.getValue().podVariance());
                f.put("df", e.getValue().df());
            }
        }
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    /**
     * @throws InvalidLearnedNoiseException naming the field and what is wrong with it
     */
    public static NoiseLessons read(String text) throws InvalidLearnedNoiseException {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new InvalidLearnedNoiseException("not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidLearnedNoiseException("expected a JSON object with \"format\": \"" + FORMAT + "\"");
        }
        if (!FORMAT.equals(root.path("format").asString(null))) {
            throw new InvalidLearnedNoiseException("format: expected \"" + FORMAT + "\", got " + root.path("format"));
        }
        JsonNode array = root.path("lessons");
        if (!array.isArray()) {
            throw new InvalidLearnedNoiseException("lessons: expected an array, got " + array);
        }
        List<NoiseLessons.Lesson> lessons = new ArrayList<>();
        for (int l = 0; l < array.size(); l++) {
            String at = "lessons[" + l + "]";
            JsonNode lesson = array.get(l);
            JsonNode jvmArray = lesson.path("jvms");
            if (!jvmArray.isArray() || jvmArray.isEmpty()) {
                throw new InvalidLearnedNoiseException(at + ".jvms: expected a non-empty array of names, got " + jvmArray);
            }
            Set<String> jvms = new LinkedHashSet<>();
            for (int j = 0; j < jvmArray.size(); j++) {
                if (!jvmArray.get(j).isString()) {
                    throw new InvalidLearnedNoiseException(at + ".jvms[" + j + "]: expected a string, got " + jvmArray.get(j));
                }
                jvms.add(jvmArray.get(j).stringValue());
            }
            lessons.add(new NoiseLessons.Lesson(jvms, new LearnedNoise(functions(lesson.path("functions"), at), 1)));
        }
        return new NoiseLessons(lessons);
    }

    private static Map<LearnedNoise.Key, LearnedNoise.Entry> functions(JsonNode functions, String lessonAt)
            throws InvalidLearnedNoiseException {
        if (!functions.isArray()) {
            throw new InvalidLearnedNoiseException(lessonAt + ".functions: expected an array, got " + functions);
        }
        Map<LearnedNoise.Key, LearnedNoise.Entry> entries = new HashMap<>();
        for (int i = 0; i < functions.size(); i++) {
            JsonNode f = functions.get(i);
            String at = lessonAt + ".functions[" + i + "]";
            try {
                ProfileType type = ProfileType.fromId(text(f, "type", at));
                Measure measure = measure(text(f, "measure", at), at);
                String function = text(f, "function", at);
                LearnedNoise.Entry entry = new LearnedNoise.Entry(number(f, "podVariance", at), number(f, "df", at));
                if (entries.put(new LearnedNoise.Key(type, measure, function), entry) != null) {
                    throw new InvalidLearnedNoiseException(at + ": " + function + " (" + type.id() + ", "
                            + measure.name().toLowerCase(Locale.ROOT) + ") listed twice");
                }
            } catch (IllegalArgumentException e) {
                throw new InvalidLearnedNoiseException(at + ": " + e.getMessage());
            }
        }
        return entries;
    }

    private static Measure measure(String text, String at) throws InvalidLearnedNoiseException {
        return switch (text) {
            case "self" -> Measure.SELF;
            case "inclusive" -> Measure.INCLUSIVE;
            default -> throw new InvalidLearnedNoiseException(at + ".measure: expected \"self\" or \"inclusive\", got \""
                    + text + "\"");
        };
    }

    private static String text(JsonNode node, String field, String at) throws InvalidLearnedNoiseException {
        JsonNode value = node.path(field);
        if (!value.isString() || value.stringValue().isEmpty()) {
            throw new InvalidLearnedNoiseException(at + "." + field + ": expected a non-empty string, got " + value);
        }
        return value.stringValue();
    }

    private static double number(JsonNode node, String field, String at) throws InvalidLearnedNoiseException {
        JsonNode value = node.path(field);
        if (!value.isNumber()) {
            throw new InvalidLearnedNoiseException(at + "." + field + ": expected a number, got " + value);
        }
        return value.doubleValue();
    }
}
