package io.canaryjudge.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.judge.LearnedNoise;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
                    new LearnedNoise.Entry(0.0049, 1)), 1))));

    private static final String HEAD = "{\"format\": \"" + LearnedNoiseJson.FORMAT + "\", \"lessons\": [";
    private static final String ENTRY = "{\"type\": \"cpu\", \"measure\": \"self\", \"function\": \"f\", "
            + "\"podVariance\": 0.1, \"df\": 2}";

    @Test
    void writesAndReadsTheSameLessons() throws InvalidLearnedNoiseException {
        String text = LearnedNoiseJson.write(LESSONS);
        assertThat(text).contains("\"format\" : \"" + LearnedNoiseJson.FORMAT + "\"").contains("\"measure\" : \"inclusive\"")
                .contains("\"type\" : \"alloc_bytes\"").contains("\"orders-77aa-2\"");
        NoiseLessons read = LearnedNoiseJson.read(text);
        assertThat(read).isEqualTo(LESSONS);
        assertThat(LearnedNoiseJson.write(read)).isEqualTo(text);
    }

    @Test
    void namesWhatIsWrongWithABadDocument() {
        assertThatThrownBy(() -> LearnedNoiseJson.read("{not json")).isInstanceOf(InvalidLearnedNoiseException.class)
                .hasMessageStartingWith("not valid JSON");
        assertThatThrownBy(() -> LearnedNoiseJson.read("[]")).hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> LearnedNoiseJson.read("{\"format\": \"other\", \"lessons\": []}"))
                .hasMessageStartingWith("format: expected");
        assertThatThrownBy(() -> LearnedNoiseJson.read("{\"format\": \"" + LearnedNoiseJson.FORMAT + "\", \"lessons\": 3}"))
                .hasMessageStartingWith("lessons: expected an array");
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + "{\"jvms\": [], \"functions\": []}]}"))
                .hasMessageStartingWith("lessons[0].jvms: expected a non-empty array");
        String lesson = "{\"jvms\": [\"p\"], \"functions\": [";
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + lesson + ENTRY.replace("0.1", "\"x\"") + "]}]}"))
                .hasMessageStartingWith("lessons[0].functions[0].podVariance: expected a number");
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + lesson + ENTRY.replace("cpu", "disk") + "]}]}"))
                .hasMessageStartingWith("lessons[0].functions[0]: profile type \"disk\" must be one of");
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + lesson + ENTRY.replace("self", "total") + "]}]}"))
                .hasMessageStartingWith("lessons[0].functions[0].measure: expected \"self\" or \"inclusive\"");
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + lesson + ENTRY.replace("\"df\": 2", "\"df\": 0") + "]}]}"))
                .hasMessageContaining("positive degrees of freedom");
        assertThatThrownBy(() -> LearnedNoiseJson.read(HEAD + lesson + ENTRY + ", " + ENTRY + "]}]}"))
                .hasMessage("lessons[0].functions[1]: f (cpu, self) listed twice");
    }
}
