package io.canaryjudge.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.judge.LearnedNoise;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class LearnedNoiseJsonTest {
    private static final NoiseLessons LESSONS = new NoiseLessons(List.of(
            new NoiseLessons.Lesson(Set.of("orders-6d4f8c7b9-x2k4p"), new LearnedNoise(Map.of(
                    new LearnedNoise.Key(ProfileType.CPU, Measure.SELF, "com.example.Foo.bar"),
                    new LearnedNoise.Entry(0.0036, 11.5),
                    new LearnedNoise.Key(ProfileType.ALLOC_BYTES, Measure.INCLUSIVE, "java.util.HashMap.resize"),
                    new LearnedNoise.Entry(-0.0002, 4)), 1)),
            new NoiseLessons.Lesson(Set.of("orders-77aa-1", "orders-77aa-2"), new LearnedNoise(Map.of(
                    new LearnedNoise.Key(ProfileType.CPU, Measure.SELF, "com.example.Foo.bar"),
                    new LearnedNoise.Entry(0.0049, 1)), Map.of(
                    new LearnedNoise.Key(ProfileType.CPU, Measure.INCLUSIVE, "org.apache.lucene.index.MergeThread.run"),
                    new LearnedNoise.Windows(1, 2)), 1))));

    private static final String HEAD = "{\"format\": \"" + LearnedNoiseJson.FORMAT + "\", ";
    private static final String FUNCTIONS = "\"functions\": [[\"cpu\", \"self\", \"f\"]], ";

    @Test
    void writesAndReadsTheSameLessonsNamingEachFunctionOnce() throws InvalidLearnedNoiseException {
        String text = LearnedNoiseJson.write(LESSONS);
        assertThat(text).startsWith("{\"format\":\"" + LearnedNoiseJson.FORMAT + "\"")
                .contains("[\"alloc_bytes\",\"inclusive\",\"java.util.HashMap.resize\"]")
                .contains("\"orders-77aa-2\"").contains("\"intermittent\":[[");
        assertThat(text.split("com.example.Foo.bar", -1)).hasSize(2); // named once, used by both lessons
        NoiseLessons read = LearnedNoiseJson.read(text);
        assertThat(read).isEqualTo(LESSONS);
        assertThat(LearnedNoiseJson.write(read)).isEqualTo(text);
    }

    @Test
    void badJsonIsOneCleanLineWithTheLineAndColumn() {
        assertThatThrownBy(() -> LearnedNoiseJson.read("{\"format\": \"canary-judge learned noise 1\", \"functions\": [\n"))
                .isInstanceOf(InvalidLearnedNoiseException.class)
                .hasMessageStartingWith("not valid JSON at line 2, column ")
                .hasMessageNotContaining("Source").hasMessageNotContaining("StreamReadFeature")
                .hasMessageNotContaining("#UNKNOWN").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> LearnedNoiseJson.read("{not json"))
                .hasMessageStartingWith("not valid JSON at line 1, column ").hasMessageNotContaining("Source");
    }

    @Test
    void aMissingFormatIsNamedAsMissing() {
        assertThatThrownBy(() -> LearnedNoiseJson.read("{\"functions\": [], \"lessons\": []}"))
                .hasMessage("format is missing: expected \"format\": \"canary-judge learned noise 1\"");
    }

    @Test
    void namesWhatIsWrongWithABadDocument() throws InvalidLearnedNoiseException {
        assertThatThrownBy(() -> LearnedNoiseJson.read("{not json")).isInstanceOf(InvalidLearnedNoiseException.class)
                .hasMessageStartingWith("not valid JSON");
        assertThatThrownBy(() -> LearnedNoiseJson.read("[]")).hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> LearnedNoiseJson.read("{\"format\": \"other\", \"lessons\": []}"))
                .hasMessageStartingWith("format: expected");
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + "\"functions\": 1, \"lessons\": []}"))
                .hasMessageStartingWith("functions: expected an array");
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + FUNCTIONS + "\"lessons\": 3}"))
                .hasMessageStartingWith("lessons: expected an array");
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + "\"functions\": [[\"disk\", \"self\", \"f\"]], \"lessons\": []}"))
                .hasMessageStartingWith("functions[0]: profile type \"disk\" must be one of");
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + "\"functions\": [[\"cpu\", \"total\", \"f\"]], \"lessons\": []}"))
                .hasMessageStartingWith("functions[0].measure: expected \"self\" or \"inclusive\"");
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + "\"functions\": [[\"cpu\", \"self\", \"f\"], "
                + "[\"cpu\", \"self\", \"f\"]], \"lessons\": []}")).hasMessage("functions[1]: f (cpu, self) listed twice");
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + FUNCTIONS + "\"lessons\": [{\"jvms\": [], \"noise\": []}]}"))
                .hasMessageStartingWith("lessons[0].jvms: expected a non-empty array");
        String lesson = "\"lessons\": [{\"jvms\": [\"p\"], \"noise\": [";
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + FUNCTIONS + lesson + "[0, \"x\", 2]]}]}"))
                .hasMessageStartingWith("lessons[0].noise[0]: expected [function index, podVariance, df]");
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + FUNCTIONS + lesson + "[3, 0.1, 2]]}]}"))
                .hasMessage("lessons[0].noise[0]: function index 3 is not in functions (0–0)");
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + FUNCTIONS + lesson + "[0, 0.1, 0]]}]}"))
                .hasMessageContaining("positive degrees of freedom");
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + FUNCTIONS + lesson + "[0, 1e6, 2]]}]}"))
                .hasMessageStartingWith("lessons[0].noise[0]: podVariance 1000000.0 is no JVM's noise");
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + FUNCTIONS + lesson + "[0, -250, 2]]}]}"))
                .hasMessageContaining("within ±100");
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + FUNCTIONS + lesson + "[0, 0.1, 1e9]]}]}"))
                .hasMessageStartingWith("lessons[0].noise[0]: df 1.0E9 is more degrees of freedom");
        assertThat(LearnedNoiseJson.read(HEAD + FUNCTIONS + lesson + "[0, 99.5, 9999]]}]}").lessons()).hasSize(1);
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + FUNCTIONS + lesson + "[0, 0.1, 2], [0, 0.2, 2]]}]}"))
                .hasMessage("lessons[0].noise[1]: function 0 listed twice");
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + FUNCTIONS + lesson + "], \"intermittent\": [[0, -1, 2]]}]}"))
                .hasMessageStartingWith("lessons[0].intermittent[0]: window counts must be ≥ 0");
    }

    /**
     * The lessons the service kept in {@code learned_noise} at 98bdae9 (the first layout: every lesson names its
     * functions in full), as that version stored them after judging the shipped shop pods both ways round: the
     * current reader keeps every lesson and value, and writes them back in the current layout.
     */
    @Test
    void readsTheFirstLayoutAStoreOrFileKeptBefore20261204() throws IOException, InvalidLearnedNoiseException {
        String stored;
        try (InputStream in = new GZIPInputStream(LearnedNoiseJsonTest.class.getResourceAsStream(
                "/store/upgrade/learned-noise-98bdae9.json.gz"))) {
            stored = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(stored).doesNotContain("\"noise\"").contains("\"podVariance\"");

        NoiseLessons read = LearnedNoiseJson.read(stored);

        assertThat(read.lessons()).extracting(NoiseLessons.Lesson::jvms).containsExactly(
                Set.of("shop-7f9b6c5d4-m4q8z", "shop-7f9b6c5d4-r9t2w"),
                Set.of("shop-6d4f8c7b9-k2x7p", "shop-6d4f8c7b9-w5n3j"));
        assertThat(read.lessons().get(0).taught().entries()).hasSize(283)
                .containsEntry(new LearnedNoise.Key(ProfileType.CPU, Measure.SELF, ".[vdso]"),
                        new LearnedNoise.Entry(-0.0013547313540540305, 1.0));
        assertThat(read.lessons().get(1).taught().entries()).hasSize(230);
        assertThat(LearnedNoiseJson.read(LearnedNoiseJson.write(read))).isEqualTo(read);
        assertThat(LearnedNoiseJson.read(HEAD + "\"lessons\": []}").lessons()).isEmpty();
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + "\"lessons\": [{\"jvms\": [\"p\"], \"functions\": "
                + "[{\"type\": \"cpu\", \"measure\": \"self\", \"function\": \"f\", \"podVariance\": \"x\", \"df\": 2}]}]}"))
                .hasMessageStartingWith("lessons[0].functions[0]: expected {\"type\", \"measure\", \"function\"");
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + "\"lessons\": [{\"jvms\": [\"p\"], \"functions\": "
                + "[{\"type\": \"cpu\", \"measure\": \"self\", \"function\": \"f\", \"podVariance\": 1e6, \"df\": 2}]}]}"))
                .hasMessageStartingWith("lessons[0].functions[0]: podVariance 1000000.0 is no JVM's noise");
    }
}
