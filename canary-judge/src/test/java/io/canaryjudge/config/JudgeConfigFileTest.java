package io.canaryjudge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.judge.FrameClass;
import io.canaryjudge.judge.FrameClassifier;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.Thresholds;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JudgeConfigFileTest {

    private static JudgeConfigFile parse(String yaml) throws InvalidConfigException {
        return JudgeConfigFile.parse(yaml, "judge.yaml");
    }

    @Test
    void emptyFileGivesTheDefaults() throws Exception {
        assertThat(parse("").judgeConfig()).isEqualTo(JudgeConfig.defaults());
        assertThat(parse("# nothing\n").judgeConfig()).isEqualTo(JudgeConfig.defaults());
    }

    @Test
    void everyTopLevelKeyIsRead() throws Exception {
        JudgeConfig config = parse("""
                thresholds:
                  maxQValue: 0.05
                  minRelativeChange: 0.1
                  minAbsoluteChange: 0.002
                  candidateShare: 0.002
                  negligibleShare: 0.0001
                  newHotPathShare: 0.01
                functions:
                  - match: 'com\\.shop\\..*'
                    thresholds: {minRelativeChange: 0.02}
                ignore: ['java\\.lang\\.Thread\\.sleep']
                judgedTypes: [cpu, wall]
                failOnTypes: cpu
                failOnJvmInternal: true
                warmup: 2m
                minInstancesPerGroup: 2
                minObservationsPerGroup: 4
                minSamplesPerGroup: 5000
                maxDetectableChange: 0.5
                priorBetweenInstanceCv: 0.2
                """).judgeConfig();
        assertThat(config.thresholds()).isEqualTo(new Thresholds(0.05, 0.1, 0.002, 0.002, 0.0001, 0.01));
        assertThat(config.thresholdsFor("com.shop.Cart.total"))
                .isEqualTo(new Thresholds(0.05, 0.02, 0.002, 0.002, 0.0001, 0.01));
        assertThat(config.thresholdsFor("org.other.Thing.run")).isEqualTo(config.thresholds());
        assertThat(config.ignored("java.lang.Thread.sleep")).isTrue();
        assertThat(config.ignored("java.lang.Thread.sleepy")).isFalse();
        assertThat(config.judgedTypes()).containsExactlyInAnyOrder(ProfileType.CPU, ProfileType.WALL);
        assertThat(config.failOnTypes()).containsExactly(ProfileType.CPU);
        assertThat(config.failOnJvmInternal()).isTrue();
        assertThat(config.warmup()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.minInstancesPerGroup()).isEqualTo(2);
        assertThat(config.minObservationsPerGroup()).isEqualTo(4);
        assertThat(config.minSamplesPerGroup()).isEqualTo(5000);
        assertThat(config.maxDetectableChange()).isEqualTo(0.5);
        assertThat(config.priorBetweenInstanceCv()).isEqualTo(0.2);
    }

    @Test
    void missingKeysKeepTheirDefaults() throws Exception {
        JudgeConfig config = parse("thresholds:\n  maxQValue: 0.05\n").judgeConfig();
        JudgeConfig defaults = JudgeConfig.defaults();
        assertThat(config.thresholds().maxQValue()).isEqualTo(0.05);
        assertThat(config.thresholds().minRelativeChange()).isEqualTo(defaults.thresholds().minRelativeChange());
        assertThat(config.withThresholds(defaults.thresholds())).isEqualTo(defaults);
    }

    @Test
    void exponentNotationIsANumberEvenWhereYaml11ReadsAString() throws Exception {
        JudgeConfig config = parse("thresholds:\n  maxQValue: 1e-3\n  minAbsoluteChange: 5E-4\n").judgeConfig();
        assertThat(config.thresholds().maxQValue()).isEqualTo(0.001);
        assertThat(config.thresholds().minAbsoluteChange()).isEqualTo(0.0005);
    }

    @Test
    void kebabCaseKeysAreAccepted() throws Exception {
        JudgeConfig config = parse("min-samples-per-group: 10\nthresholds:\n  min-relative-change: 0.3\n").judgeConfig();
        assertThat(config.minSamplesPerGroup()).isEqualTo(10);
        assertThat(config.thresholds().minRelativeChange()).isEqualTo(0.3);

        // "MiB" has no natural dash: mib, as Spring's relaxed names match it (it was an unknown key)
        io.canaryjudge.judge.memory.MemoryGrowthConfig memory = parse("""
                memory-growth:
                  min-slope-mib-per-hour: 30
                  max-detectable-growth-mib-per-hour: 0
                """).memoryGrowth();
        assertThat(memory.minSlopeMiBPerHour()).isEqualTo(30);
        assertThat(memory.maxDetectableGrowthMiBPerHour()).isZero();
    }

    @Test
    void jsonIsAcceptedToo() throws Exception {
        JudgeConfigFile file = parse("{\"thresholds\": {\"maxQValue\": 0.02},\n\t\"services\": {\"checkout\": {\"warmup\": \"PT30S\"}}}");
        assertThat(file.judgeConfig().thresholds().maxQValue()).isEqualTo(0.02);
        assertThat(file.judgeConfig("checkout").warmup()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void unknownKeyIsNamedWithItsPathAndTheValidKeys() {
        assertThatThrownBy(() -> parse("thresholds:\n  maxQvalue: 0.05\n"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("judge.yaml: thresholds.maxQvalue: unknown key")
                .hasMessageContaining("maxQValue");
        assertThatThrownBy(() -> parse("services:\n  checkout:\n    warmUp: 1m\n"))
                .hasMessageContaining("services.checkout.warmUp: unknown key");
        assertThatThrownBy(() -> parse("functions:\n  - regex: 'a'\n"))
                .hasMessageContaining("functions[0].regex: unknown key").hasMessageContaining("match");
        assertThatThrownBy(() -> parse("colour: red\n")).hasMessageContaining("colour: unknown key")
                .hasMessageContaining("services");
    }

    @Test
    void badValuesAreNamedWithKeyAndValue() {
        assertThatThrownBy(() -> parse("thresholds:\n  maxQValue: lots\n"))
                .hasMessageContaining("thresholds.maxQValue").hasMessageContaining("must be a number")
                .hasMessageContaining("\"lots\"");
        assertThatThrownBy(() -> parse("thresholds:\n  maxQValue: 2\n"))
                .hasMessageContaining("thresholds").hasMessageContaining("maxQValue").hasMessageContaining("2.0");
        assertThatThrownBy(() -> parse("minInstancesPerGroup: 0\n"))
                .hasMessageContaining("minInstancesPerGroup").hasMessageContaining("was 0");
        assertThatThrownBy(() -> parse("minSamplesPerGroup: 1.5\n"))
                .hasMessageContaining("minSamplesPerGroup: must be a whole number, was 1.5");
        assertThatThrownBy(() -> parse("judgedTypes: [cpu, heap]\n"))
                .hasMessageContaining("judgedTypes").hasMessageContaining("\"heap\"").hasMessageContaining("alloc_bytes");
        assertThatThrownBy(() -> parse("warmup: 120\n"))
                .hasMessageContaining("warmup: must be a duration").hasMessageContaining("was 120");
        assertThatThrownBy(() -> parse("failOnJvmInternal: 'yes please'\n"))
                .hasMessageContaining("failOnJvmInternal: must be true or false, was \"yes please\"");
        assertThatThrownBy(() -> parse("ignore: ['com.(broken']\n"))
                .hasMessageContaining("ignore[0]").hasMessageContaining("regular expression")
                .hasMessageContaining("com.(broken");
        assertThatThrownBy(() -> parse("priorBetweenInstanceCv: -1\n"))
                .hasMessageContaining("priorBetweenInstanceCv").hasMessageContaining("was -1");
        assertThatThrownBy(() -> parse("maxDetectableChange: 0\n"))
                .hasMessageContaining("maxDetectableChange").hasMessageContaining("was 0");
        assertThatThrownBy(() -> parse("warmup:\n")).hasMessageContaining("warmup: must have a value");
        assertThatThrownBy(() -> parse("newPathMinPodFraction: 1.5\n"))
                .hasMessageContaining("newPathMinPodFraction").hasMessageContaining("was 1.5");
        assertThatThrownBy(() -> parse("newPathIntermittentRatio: 1\n"))
                .hasMessageContaining("newPathIntermittentRatio").hasMessageContaining("was 1");
        assertThatThrownBy(() -> parse("newThreadMinBaselineWindows: -1\n"))
                .hasMessageContaining("newThreadMinBaselineWindows");
        assertThatThrownBy(() -> parse("newThreadMinBaselineWindows: 2.5\n"))
                .hasMessageContaining("newThreadMinBaselineWindows");
    }

    @Test
    void newPathConsistencyKeysSetTheRuleAndAServiceOverridesThem() throws Exception {
        JudgeConfigFile file = parse("""
                newPathMinPodFraction: 1
                new-path-min-slice-fraction: 0.25
                services:
                  search:
                    newPathMinSliceFraction: 0
                    newPathIntermittentRatio: 0
                    newThreadMinBaselineWindows: 0
                """);
        assertThat(file.judgeConfig().newPathConsistency())
                .isEqualTo(new io.canaryjudge.judge.NewPathConsistency(1, 0.25,
                        io.canaryjudge.judge.NewPathConsistency.DEFAULTS.intermittentRatio(), 15));
        assertThat(file.judgeConfig("search").newPathConsistency())
                .isEqualTo(new io.canaryjudge.judge.NewPathConsistency(1, 0, 0, 0));
        assertThat(parse("warmup: 0\n").judgeConfig().newPathConsistency())
                .isEqualTo(io.canaryjudge.judge.NewPathConsistency.DEFAULTS);
    }

    @Test
    void malformedDocumentsAreRefused() {
        assertThatThrownBy(() -> parse("thresholds: [\n")).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> parse("warmup: 1m\nwarmup: 2m\n")).hasMessageContaining("not valid YAML")
                .hasMessageContaining("warmup");
        assertThatThrownBy(() -> parse("- a\n- b\n")).hasMessageContaining("must be a mapping");
        assertThatThrownBy(() -> parse("{\"warmup\": \"1m\", \"warmup\": \"2m\"}")).hasMessageContaining("not valid JSON");
    }

    @Test
    void serviceOverridesStackOverTheTopLevel() throws Exception {
        JudgeConfigFile file = parse("""
                thresholds: {maxQValue: 0.05, minRelativeChange: 0.1}
                functions:
                  - match: 'com\\.shop\\..*'
                    thresholds: {minRelativeChange: 0.3}
                ignore: ['a\\..*']
                warmup: 1m
                services:
                  checkout:
                    thresholds: {minRelativeChange: 0.2}
                    functions:
                      - match: 'com\\.shop\\.Cart\\..*'
                        thresholds: {maxQValue: 0.001}
                    ignore: ['b\\..*']
                    minInstancesPerGroup: 3
                  search:
                """);
        assertThat(file.services()).containsExactly("checkout", "search");
        JudgeConfig top = file.judgeConfig();
        JudgeConfig checkout = file.judgeConfig("checkout");
        assertThat(checkout.thresholds()).isEqualTo(new Thresholds(0.05, 0.2, 0.001, 0.001, 0.0005, 0.005));
        // the service's rule first; it fills unnamed fields from the service's thresholds
        assertThat(checkout.thresholdsFor("com.shop.Cart.add")).isEqualTo(new Thresholds(0.001, 0.2, 0.001, 0.001, 0.0005, 0.005));
        assertThat(checkout.thresholdsFor("com.shop.Price.get").minRelativeChange()).isEqualTo(0.3);
        assertThat(checkout.ignored("a.X")).isTrue();
        assertThat(checkout.ignored("b.X")).isTrue();
        assertThat(top.ignored("b.X")).isFalse();
        assertThat(checkout.warmup()).isEqualTo(Duration.ofMinutes(1));
        assertThat(checkout.minInstancesPerGroup()).isEqualTo(3);
        assertThat(top.minInstancesPerGroup()).isEqualTo(1);
        assertThat(file.judgeConfig("search")).isEqualTo(top);
        assertThatThrownBy(() -> file.judgeConfig("billing")).hasMessageContaining("\"billing\"")
                .hasMessageContaining("checkout, search");
    }

    @Test
    void serviceValueOutOfRangeNamesTheService() {
        assertThatThrownBy(() -> parse("services:\n  checkout:\n    thresholds: {candidateShare: 1.5}\n"))
                .hasMessageContaining("services.checkout.thresholds").hasMessageContaining("candidateShare")
                .hasMessageContaining("1.5");
    }

    @Test
    void frameClassKeysAreRead() throws Exception {
        JudgeConfigFile file = parse("""
                applicationPackages: [com.shop, 'com.shop.plugins.*']
                library-packages: com.acme.sdk
                nativeLibraries: {librocksdbjni: library, libmycodec: application-native, libtcmalloc: NATIVE_SYSTEM}
                services:
                  search:
                    applicationPackages: [org.search]
                """);
        FrameClassifier frames = file.judgeConfig().frames();
        assertThat(frames.applicationPackages()).containsExactly("com.shop", "com.shop.plugins");
        assertThat(frames.libraryPackages()).containsExactly("com.acme.sdk");
        assertThat(frames.classify("org.unknown.Thing.run")).isEqualTo(FrameClass.LIBRARY);
        assertThat(frames.classify("librocksdbjni-linux64.so.rocksdb::DBImpl::Write")).isEqualTo(FrameClass.LIBRARY);
        assertThat(frames.classify("libmycodec.so.encode")).isEqualTo(FrameClass.APPLICATION_NATIVE);
        assertThat(frames.classify("libtcmalloc.so.4.tc_malloc")).isEqualTo(FrameClass.NATIVE_SYSTEM);
        FrameClassifier search = file.judgeConfig("search").frames();
        assertThat(search.classify("org.search.Index.query")).isEqualTo(FrameClass.APPLICATION);
        assertThat(search.classify("com.shop.Cart.add")).as("a service's list replaces the top level's")
                .isEqualTo(FrameClass.LIBRARY);
        assertThat(search.libraryPackages()).containsExactly("com.acme.sdk");
    }

    @Test
    void badFrameClassKeysAreNamed() {
        assertThatThrownBy(() -> parse("applicationPackages: ['com shop']\n"))
                .hasMessageContaining("applicationPackages[0]").hasMessageContaining("com shop");
        assertThatThrownBy(() -> parse("libraryPackages: [42]\n")).hasMessageContaining("libraryPackages[0]")
                .hasMessageContaining("must be a string");
        assertThatThrownBy(() -> parse("nativeLibraries: {libfoo: kernel}\n"))
                .hasMessageContaining("nativeLibraries.libfoo").hasMessageContaining("kernel")
                .hasMessageContaining("application_native");
        assertThatThrownBy(() -> parse("nativeLibraries: [libfoo]\n")).hasMessageContaining("nativeLibraries")
                .hasMessageContaining("mapping");
        assertThatThrownBy(() -> parse("applicationPackage: [com.shop]\n")).hasMessageContaining("unknown key")
                .hasMessageContaining("applicationPackages");
    }

    @Test
    void theExampleFileParsesAndStatesTheDefaults() throws Exception {
        Path example = SharedFixtures.projectRoot().resolve("examples/judge-config.yaml");
        assertThat(example).isRegularFile();
        JudgeConfigFile file = JudgeConfigFile.read(example);
        JudgeConfig config = file.judgeConfig();
        JudgeConfig defaults = JudgeConfig.defaults();
        // the example documents the defaults; only its illustrative rules and ignore list differ
        assertThat(config.withFunctionRules(defaults.functionRules()).withIgnore(defaults.ignore())).isEqualTo(defaults);
        assertThat(file.services()).contains("checkout");
        assertThat(file.judgeConfig("checkout").warmup()).isEqualTo(Duration.ofMinutes(2));
        assertThat(file.memoryGrowth()).isEqualTo(io.canaryjudge.judge.memory.MemoryGrowthConfig.DEFAULTS);
        assertThat(Files.readString(example)).contains("services:");
    }

    /** The example promises every key with its default; memoryGrowth.maxDetectableGrowthMiBPerHour was missing. */
    @Test
    void theExampleFileNamesEveryKey() throws Exception {
        String example = Files.readString(SharedFixtures.projectRoot().resolve("examples/judge-config.yaml"));
        java.util.Set<String> keys = new java.util.TreeSet<>(JudgeConfigFile.LEVEL_KEYS);
        keys.addAll(JudgeConfigFile.THRESHOLD_KEYS);
        keys.addAll(JudgeConfigFile.MEMORY_GROWTH_KEYS);
        keys.add("services");
        for (String key : keys) {
            assertThat(example).as(key).containsPattern("(?m)^\\s*" + key + ":");
        }
    }
}
