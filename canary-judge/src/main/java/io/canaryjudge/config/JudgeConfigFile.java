package io.canaryjudge.config;

import io.canaryjudge.config.ConfigOverrides.RuleOverride;
import io.canaryjudge.config.ConfigOverrides.ThresholdOverrides;
import io.canaryjudge.judge.FrameClass;
import io.canaryjudge.judge.FrameClassifier;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.RegularFile;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A judge configuration file (YAML, or JSON when the document starts with <code>{</code>): the judge's
 * thresholds and rules on top of {@link JudgeConfig#defaults()}, plus per-service overrides under
 * {@code services:}. See {@code examples/judge-config.yaml} for every key.
 *
 * <p>Strict on purpose (a typo must not silently fall back to a default, the Kayenta pitfall):
 * unknown keys, values of the wrong kind and values out of range are {@link InvalidConfigException}s
 * naming the key path and the value. Keys are camelCase as in {@link JudgeConfig}; the kebab-case
 * spelling ({@code min-relative-change}) is accepted too, as Spring's relaxed binding does.
 */
public final class JudgeConfigFile {
    /** Largest configuration file read, bytes: configs are hand-written, anything bigger is a mistake. */
    static final long MAX_BYTES = 1 << 20;

    // The key sets are package-private so that a test can hold examples/judge-config.yaml to "every key".
    static final Set<String> LEVEL_KEYS = Set.of("thresholds", "functions", "ignore", "judgedTypes",
            "failOnTypes", "failOnJvmInternal", "warmup", "minInstancesPerGroup", "minObservationsPerGroup",
            "minSamplesPerGroup", "maxDetectableChange", "priorBetweenInstanceCv", "memoryGrowth", "applicationPackages",
            "libraryPackages", "nativeLibraries", "newPathMinPodFraction", "newPathMinSliceFraction",
            "newPathIntermittentRatio", "newThreadMinBaselineWindows");
    static final Set<String> THRESHOLD_KEYS = Set.of("maxQValue", "minRelativeChange", "minAbsoluteChange",
            "candidateShare", "negligibleShare", "newHotPathShare");
    private static final Set<String> RULE_KEYS = Set.of("match", "thresholds");
    static final Set<String> MEMORY_GROWTH_KEYS = Set.of("enabled", "fail", "minSlopeMiBPerHour", "maxPValue",
            "warmup", "minPoints", "minSpan", "priorSlopeSpreadMiBPerHour",
            "maxDetectableGrowthMiBPerHour", "window");
    /**
     * Every key by its relaxed form (lower case, no dashes), as Spring matches kebab-case: the natural kebab spelling
     * of {@code minSlopeMiBPerHour} is {@code min-slope-mib-per-hour}, which dash-to-capital alone made
     * {@code minSlopeMibPerHour}, an unknown key.
     */
    private static final Map<String, String> RELAXED_KEYS = Stream.of(LEVEL_KEYS, THRESHOLD_KEYS,
                    RULE_KEYS, MEMORY_GROWTH_KEYS).flatMap(Set::stream).distinct()
            .collect(Collectors.toUnmodifiableMap(k -> k.toLowerCase(Locale.ROOT), k -> k));
    /** The memory-growth keys, parsed beside the judge's ({@link MemoryGrowthConfig}). */
    private static final String MEMORY_GROWTH = "memoryGrowth";
    /** A decimal number as text, e.g. {@code 1e-3}, which YAML 1.1 does not read as a number. */
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private final String source;
    private final ConfigOverrides top;
    private final Map<String, ConfigOverrides> services;
    private final MemoryGrowthOverrides topMemory;
    private final Map<String, MemoryGrowthOverrides> serviceMemory;

    private JudgeConfigFile(String source, ConfigOverrides top, Map<String, ConfigOverrides> services,
                            MemoryGrowthOverrides topMemory, Map<String, MemoryGrowthOverrides> serviceMemory) {
        this.source = source;
        this.top = top;
        this.services = Collections.unmodifiableMap(new LinkedHashMap<>(services));
        this.topMemory = topMemory;
        this.serviceMemory = Map.copyOf(serviceMemory);
    }

    /** No file: the defaults, no services. */
    public static JudgeConfigFile empty() {
        return new JudgeConfigFile("<defaults>", ConfigOverrides.NONE, Map.of(), MemoryGrowthOverrides.NONE, Map.of());
    }

    /**
     * @throws IOException            the file cannot be read, or is not a regular file ({@link RegularFile})
     * @throws InvalidConfigException the file is not a valid configuration
     */
    public static JudgeConfigFile read(Path file) throws IOException, InvalidConfigException {
        String source = file.toString();
        if (RegularFile.size(file) > MAX_BYTES) {
            throw new InvalidConfigException(source, "", "file is larger than " + MAX_BYTES + " bytes");
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8), source);
    }

    /**
     * @param text   YAML or JSON
     * @param source file name for messages
     */
    public static JudgeConfigFile parse(String text, String source) throws InvalidConfigException {
        Object document = load(text, source);
        if (document == null) {
            return new JudgeConfigFile(source, ConfigOverrides.NONE, Map.of(), MemoryGrowthOverrides.NONE, Map.of());
        }
        LevelParser parser = new LevelParser(source);
        Map<String, Object> root = parser.mapping(document, "");
        Map<String, Object> levelEntries = new LinkedHashMap<>(root);
        Object servicesNode = levelEntries.remove("services");
        MemoryGrowthOverrides topMemory = parser.memoryGrowth(levelEntries.remove(MEMORY_GROWTH), MEMORY_GROWTH,
                MemoryGrowthOverrides.NONE);
        ConfigOverrides top = parser.level(levelEntries, "");
        check(source, "", top, ConfigOverrides.NONE);
        Map<String, ConfigOverrides> services = new LinkedHashMap<>();
        Map<String, MemoryGrowthOverrides> serviceMemory = new LinkedHashMap<>();
        if (servicesNode != null) {
            for (Map.Entry<String, Object> entry : parser.rawMapping(servicesNode, "services").entrySet()) {
                String path = "services." + entry.getKey();
                Object body = entry.getValue() == null ? Map.of() : entry.getValue();
                Map<String, Object> serviceEntries = new LinkedHashMap<>(parser.mapping(body, path));
                serviceMemory.put(entry.getKey(), parser.memoryGrowth(serviceEntries.remove(MEMORY_GROWTH),
                        join(path, MEMORY_GROWTH), topMemory));
                ConfigOverrides service = parser.level(serviceEntries, path);
                check(source, path, top, service);
                services.put(entry.getKey(), service);
            }
        }
        return new JudgeConfigFile(source, top, services, topMemory, serviceMemory);
    }

    /** The memory-growth settings of the top level over the defaults. */
    public MemoryGrowthConfig memoryGrowth() {
        return topMemory.applyTo(MemoryGrowthConfig.DEFAULTS);
    }

    /**
     * The memory-growth settings of the top level, then of {@code service}, over the defaults.
     *
     * @throws InvalidConfigException when the file has no such service
     */
    public MemoryGrowthConfig memoryGrowth(String service) throws InvalidConfigException {
        MemoryGrowthOverrides overrides = serviceMemory.get(service);
        if (overrides == null) {
            judgeConfig(service); // names the known services
        }
        return overrides.applyTo(topMemory.applyTo(MemoryGrowthConfig.DEFAULTS));
    }

    /** The service names the file has overrides for, in file order. */
    public Set<String> services() {
        return services.keySet();
    }

    /** Where the configuration came from, for messages. */
    public String source() {
        return source;
    }

    /** The top level of the file over the defaults (no service overrides). */
    public JudgeConfig judgeConfig() {
        return ConfigOverrides.stack(JudgeConfig.defaults(), top, ConfigOverrides.NONE);
    }

    /**
     * The top level, then the overrides of {@code service}, over the defaults.
     *
     * @throws InvalidConfigException when the file has no such service (the message lists the known ones)
     */
    public JudgeConfig judgeConfig(String service) throws InvalidConfigException {
        ConfigOverrides overrides = services.get(service);
        if (overrides == null) {
            throw new InvalidConfigException(source, "services", "no service \"" + service + "\"; known services: "
                    + (services.isEmpty() ? "none" : String.join(", ", services.keySet())));
        }
        return ConfigOverrides.stack(JudgeConfig.defaults(), top, overrides);
    }

    /**
     * {@code base} with its default thresholds replaced field by field by {@code thresholds} (a mapping such as
     * {@code {"minRelativeChange": 0.1}}, from a request's overrides); per-function rules keep theirs.
     *
     * @param source where the mapping came from, for messages
     * @param path   key path of the mapping, e.g. {@code overrides}; errors name {@code overrides.minRelativeChange}
     * @throws InvalidConfigException an unknown key, a value that is not a number or out of range
     */
    public static JudgeConfig withThresholds(JudgeConfig base, Object thresholds, String source, String path)
            throws InvalidConfigException {
        ThresholdOverrides overrides = new LevelParser(source).thresholds(thresholds, path);
        try {
            return base.withThresholds(overrides.applyTo(base.thresholds()));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(source, path, e.getMessage());
        }
    }

    private static void check(String source, String path, ConfigOverrides top, ConfigOverrides service)
            throws InvalidConfigException {
        try {
            ConfigOverrides.stack(JudgeConfig.defaults(), top, service);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(source, path, e.getMessage());
        }
    }

    private static Object load(String text, String source) throws InvalidConfigException {
        if (text.stripLeading().startsWith("{")) {
            try {
                JsonMapper mapper = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
                return mapper.readValue(text, Object.class);
            } catch (JacksonException e) {
                throw new InvalidConfigException(source, "", "not valid JSON: " + e.getOriginalMessage());
            }
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setCodePointLimit((int) MAX_BYTES);
        try {
            return new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw new InvalidConfigException(source, "", "not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
    }

    /** Turns one parsed level (top or service) into {@link ConfigOverrides}, naming key paths in errors. */
    private static final class LevelParser {
        private final String source;

        LevelParser(String source) {
            this.source = source;
        }

        ConfigOverrides level(Map<String, Object> entries, String path) throws InvalidConfigException {
            for (String key : entries.keySet()) {
                if (!LEVEL_KEYS.contains(key)) {
                    throw unknownKey(join(path, key), LEVEL_KEYS, path.isEmpty() ? "services" : null);
                }
            }
            ThresholdOverrides thresholds = entries.containsKey("thresholds")
                    ? thresholds(entries.get("thresholds"), join(path, "thresholds")) : ThresholdOverrides.NONE;
            List<RuleOverride> rules = new ArrayList<>();
            if (entries.containsKey("functions")) {
                List<Object> items = list(entries.get("functions"), join(path, "functions"));
                for (int i = 0; i < items.size(); i++) {
                    rules.add(rule(items.get(i), join(path, "functions") + "[" + i + "]"));
                }
            }
            List<Pattern> ignore = new ArrayList<>();
            if (entries.containsKey("ignore")) {
                List<Object> items = list(entries.get("ignore"), join(path, "ignore"));
                for (int i = 0; i < items.size(); i++) {
                    ignore.add(regex(items.get(i), join(path, "ignore") + "[" + i + "]"));
                }
            }
            Double maxDetectable = null;
            boolean maxDetectableSet = entries.containsKey("maxDetectableChange");
            if (maxDetectableSet && entries.get("maxDetectableChange") != null) {
                maxDetectable = number(entries.get("maxDetectableChange"), join(path, "maxDetectableChange"));
                if (!(maxDetectable > 0)) {
                    throw bad(join(path, "maxDetectableChange"), entries.get("maxDetectableChange"),
                            "must be > 0 (a relative change, 0.5 = 50 %), or null to never answer INCONCLUSIVE for power");
                }
            }
            Integer minInstances = optional(entries, path, "minInstancesPerGroup", (v, p) -> (int) whole(v, p, 1, 1_000_000));
            Integer minObservations = optional(entries, path, "minObservationsPerGroup",
                    (v, p) -> (int) whole(v, p, 1, 1_000_000));
            Long minSamples = optional(entries, path, "minSamplesPerGroup", (v, p) -> whole(v, p, 0, Long.MAX_VALUE));
            Double priorCv = optional(entries, path, "priorBetweenInstanceCv", (v, p) -> {
                double cv = number(v, p);
                if (!(cv >= 0 && cv < 10)) {
                    throw bad(p, v, "must be in [0, 10) (a coefficient of variation, 0.1 = 10 %)");
                }
                return cv;
            });
            return new ConfigOverrides(thresholds, rules, ignore,
                    optional(entries, path, "judgedTypes", this::types),
                    optional(entries, path, "failOnTypes", this::types),
                    optional(entries, path, "failOnJvmInternal", this::bool),
                    optional(entries, path, "warmup", this::duration),
                    minInstances, minObservations, minSamples, maxDetectableSet, maxDetectable, priorCv,
                    new ConfigOverrides.FrameOverrides(
                            optional(entries, path, "applicationPackages", this::packages),
                            optional(entries, path, "libraryPackages", this::packages),
                            optional(entries, path, "nativeLibraries", this::nativeLibraries)),
                    optional(entries, path, "newPathMinPodFraction", this::fraction),
                    optional(entries, path, "newPathMinSliceFraction", this::fraction),
                    optional(entries, path, "newPathIntermittentRatio", this::belowOne),
                    optional(entries, path, "newThreadMinBaselineWindows", (v, p) -> (int) whole(v, p, 0, 1_000_000)));
        }

        /** A fraction in [0, 1). */
        private Double belowOne(Object node, String path) throws InvalidConfigException {
            double value = number(node, path);
            if (!(value >= 0 && value < 1)) {
                throw bad(path, node, "must be in [0, 1) (a fraction, 0.2 = a fifth; 0 = off)");
            }
            return value;
        }

        /** A fraction in [0, 1]. */
        private Double fraction(Object node, String path) throws InvalidConfigException {
            double value = number(node, path);
            if (!(value >= 0 && value <= 1)) {
                throw bad(path, node, "must be in [0, 1] (a fraction, 0.5 = half)");
            }
            return value;
        }

        /**
         * The {@code memoryGrowth:} mapping of one level (null when absent); checked stacked over
         * {@code over} (the top level's, for a service) and the defaults.
         */
        MemoryGrowthOverrides memoryGrowth(Object node, String path, MemoryGrowthOverrides over)
                throws InvalidConfigException {
            if (node == null) {
                return MemoryGrowthOverrides.NONE;
            }
            Map<String, Object> entries = mapping(node, path);
            for (String key : entries.keySet()) {
                if (!MEMORY_GROWTH_KEYS.contains(key)) {
                    throw unknownKey(join(path, key), MEMORY_GROWTH_KEYS, null);
                }
            }
            MemoryGrowthOverrides overrides = new MemoryGrowthOverrides(
                    optional(entries, path, "enabled", this::bool),
                    optional(entries, path, "fail", this::bool),
                    optional(entries, path, "minSlopeMiBPerHour", this::number),
                    optional(entries, path, "maxPValue", this::number),
                    optional(entries, path, "warmup", this::duration),
                    optional(entries, path, "minPoints", (v, p) -> (int) whole(v, p, 3, 1_000_000)),
                    optional(entries, path, "minSpan", this::duration),
                    optional(entries, path, "priorSlopeSpreadMiBPerHour", this::number),
                    optional(entries, path, "maxDetectableGrowthMiBPerHour", this::number),
                    optional(entries, path, "window", this::duration));
            try {
                overrides.applyTo(over.applyTo(MemoryGrowthConfig.DEFAULTS));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(source, path, e.getMessage());
            }
            return overrides;
        }

        /** Java package prefixes ({@code com.shop}, {@code com.shop.*}): a list of strings, or one string. */
        private List<String> packages(Object node, String path) throws InvalidConfigException {
            List<Object> items = node instanceof List<?> ? list(node, path) : List.of(node);
            List<String> prefixes = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String item = string(items.get(i), path + "[" + i + "]");
                try {
                    new FrameClassifier(List.of(item), List.of(), Map.of());
                } catch (IllegalArgumentException e) {
                    throw bad(path + "[" + i + "]", item, "must be a Java package prefix such as com.shop");
                }
                prefixes.add(item);
            }
            return prefixes;
        }

        /** Native library file-name prefixes and their frame class: {@code librocksdbjni: application_native}. */
        private Map<String, FrameClass> nativeLibraries(Object node, String path) throws InvalidConfigException {
            Map<String, FrameClass> libraries = new LinkedHashMap<>();
            for (Map.Entry<String, Object> entry : rawMapping(node, path).entrySet()) {
                String key = join(path, entry.getKey());
                String library = entry.getKey().strip();
                if (library.isEmpty() || library.contains("/")) {
                    throw bad(key, entry.getKey(), "must be a library file name or its start, such as librocksdbjni");
                }
                String value = string(entry.getValue(), key);
                try {
                    libraries.put(library, FrameClass.valueOf(value.strip().replace('-', '_').toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw bad(key, value, "must be one of " + Arrays.stream(FrameClass.values())
                            .map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
                }
            }
            return libraries;
        }

        ThresholdOverrides thresholds(Object node, String path) throws InvalidConfigException {
            Map<String, Object> entries = mapping(node, path);
            for (String key : entries.keySet()) {
                if (!THRESHOLD_KEYS.contains(key)) {
                    throw unknownKey(join(path, key), THRESHOLD_KEYS, null);
                }
            }
            ThresholdOverrides overrides = new ThresholdOverrides(
                    optional(entries, path, "maxQValue", this::number),
                    optional(entries, path, "minRelativeChange", this::number),
                    optional(entries, path, "minAbsoluteChange", this::number),
                    optional(entries, path, "candidateShare", this::number),
                    optional(entries, path, "negligibleShare", this::number),
                    optional(entries, path, "newHotPathShare", this::number));
            try {
                overrides.applyTo(io.canaryjudge.judge.Thresholds.DEFAULTS);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(source, path, e.getMessage());
            }
            return overrides;
        }

        private RuleOverride rule(Object node, String path) throws InvalidConfigException {
            Map<String, Object> entries = mapping(node, path);
            for (String key : entries.keySet()) {
                if (!RULE_KEYS.contains(key)) {
                    throw unknownKey(join(path, key), RULE_KEYS, null);
                }
            }
            if (!entries.containsKey("match")) {
                throw new InvalidConfigException(source, path, "a function rule needs \"match\" (a regex on the function name)");
            }
            Pattern pattern = regex(entries.get("match"), join(path, "match"));
            ThresholdOverrides thresholds = entries.containsKey("thresholds")
                    ? thresholds(entries.get("thresholds"), join(path, "thresholds")) : ThresholdOverrides.NONE;
            return new RuleOverride(pattern, thresholds);
        }

        private Pattern regex(Object node, String path) throws InvalidConfigException {
            String text = string(node, path);
            try {
                return Pattern.compile(text);
            } catch (PatternSyntaxException e) {
                throw bad(path, node, "is not a valid regular expression (" + e.getDescription() + ")");
            }
        }

        private Set<ProfileType> types(Object node, String path) throws InvalidConfigException {
            List<Object> items = node instanceof List<?> ? list(node, path) : List.of(node);
            Set<ProfileType> types = EnumSet.noneOf(ProfileType.class);
            for (Object item : items) {
                ProfileType type;
                try {
                    type = ProfileType.fromId(string(item, path));
                } catch (IllegalArgumentException e) {
                    throw bad(path, item, "must be one of " + ProfileType.validIds());
                }
                if (!type.judgedOnItsOwn()) {
                    throw bad(path, item, "is read from JDK recordings beside live_objects, not judged on its own; must"
                            + " be one of " + ProfileType.validIds());
                }
                types.add(type);
            }
            return types;
        }

        private Duration duration(Object node, String path) throws InvalidConfigException {
            if (node instanceof Number number && number.doubleValue() == 0) {
                return Duration.ZERO;
            }
            if (!(node instanceof String text)) {
                throw bad(path, node, "must be a duration: " + DurationText.FORMS);
            }
            try {
                Duration duration = DurationText.parse(text);
                if (duration.isNegative()) {
                    throw bad(path, node, "must not be negative");
                }
                return duration;
            } catch (IllegalArgumentException e) {
                throw bad(path, node, "must be a duration: " + DurationText.FORMS);
            }
        }

        private Boolean bool(Object node, String path) throws InvalidConfigException {
            if (node instanceof Boolean value) {
                return value;
            }
            throw bad(path, node, "must be true or false");
        }

        private Double number(Object node, String path) throws InvalidConfigException {
            if (node instanceof Number number && !(node instanceof Double d && !Double.isFinite(d))) {
                return number.doubleValue();
            }
            // YAML 1.1 (SnakeYAML) reads 1e-3 as a string: without a dot it is not a float there
            if (node instanceof String text && DECIMAL.matcher(text.strip()).matches()) {
                return Double.parseDouble(text.strip());
            }
            throw bad(path, node, "must be a number");
        }

        private long whole(Object node, String path, long min, long max) throws InvalidConfigException {
            long value;
            if (node instanceof Integer || node instanceof Long || node instanceof Short) {
                value = ((Number) node).longValue();
            } else if (node instanceof BigInteger big && big.bitLength() < 63) {
                value = big.longValue();
            } else if (node instanceof BigDecimal decimal && decimal.stripTrailingZeros().scale() <= 0) {
                value = decimal.longValue();
            } else {
                throw bad(path, node, "must be a whole number");
            }
            if (value < min || value > max) {
                throw bad(path, node, "must be in [" + min + ", " + max + "]");
            }
            return value;
        }

        private String string(Object node, String path) throws InvalidConfigException {
            if (node instanceof String text) {
                return text;
            }
            throw bad(path, node, "must be a string");
        }

        private List<Object> list(Object node, String path) throws InvalidConfigException {
            if (node instanceof List<?> items) {
                return new ArrayList<>(items);
            }
            throw bad(path, node, "must be a list");
        }

        /** A mapping whose keys are normalised to camelCase. */
        Map<String, Object> mapping(Object node, String path) throws InvalidConfigException {
            Map<String, Object> raw = rawMapping(node, path);
            Map<String, Object> normalised = new LinkedHashMap<>();
            for (Map.Entry<String, Object> entry : raw.entrySet()) {
                String key = camelCase(entry.getKey());
                if (normalised.put(key, entry.getValue()) != null) {
                    throw new InvalidConfigException(source, join(path, key), "given twice (as camelCase and kebab-case)");
                }
            }
            return normalised;
        }

        /** A mapping with keys as written (service names are not normalised). */
        Map<String, Object> rawMapping(Object node, String path) throws InvalidConfigException {
            if (!(node instanceof Map<?, ?> map)) {
                throw bad(path.isEmpty() ? "(document)" : path, node, "must be a mapping of keys to values");
            }
            Map<String, Object> entries = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw bad(join(path, String.valueOf(entry.getKey())), entry.getKey(), "keys must be strings");
                }
                entries.put(key, entry.getValue());
            }
            return entries;
        }

        private <T> T optional(Map<String, Object> entries, String path, String key, ValueParser<T> parser)
                throws InvalidConfigException {
            if (!entries.containsKey(key)) {
                return null;
            }
            Object value = entries.get(key);
            if (value == null) {
                throw bad(join(path, key), null, "must have a value (leave the key out for the default)");
            }
            return parser.parse(value, join(path, key));
        }

        private InvalidConfigException unknownKey(String path, Set<String> known, String extra) {
            List<String> valid = new ArrayList<>(known);
            if (extra != null) {
                valid.add(extra);
            }
            Collections.sort(valid);
            return new InvalidConfigException(source, path, "unknown key; valid keys here: " + String.join(", ", valid));
        }

        private InvalidConfigException bad(String path, Object value, String problem) {
            return new InvalidConfigException(source, path, problem + ", was " + describe(value));
        }
    }

    @FunctionalInterface
    private interface ValueParser<T> {
        T parse(Object value, String path) throws InvalidConfigException;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String camelCase(String key) {
        if (key.indexOf('-') < 0) {
            return key;
        }
        String known = RELAXED_KEYS.get(key.replace("-", "").toLowerCase(Locale.ROOT));
        if (known != null) {
            return known;
        }
        StringBuilder out = new StringBuilder(key.length());
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String text) {
            return "\"" + text + "\"";
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        return String.valueOf(value);
    }
}
