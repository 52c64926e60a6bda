package io.canaryjudge.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.judge.LearnedNoise;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LearnedNoiseJsonTest {
    private static final LearnedNoise NOISE = new LearnedNoise(Map.of(
            new LearnedNoise.Key(ProfileType.CPU, Measure.SELF, "com.example.Foo.bar"), new LearnedNoise.Entry(0.0036, 11.5),
            new LearnedNoise.Key(ProfileType.ALLOC_BYTES, Measure.INCLUSIVE, "java.util.HashMap.resize"),
            new LearnedNoise.Entry(-0.0002, 4)), 7);

    @Test
    void writesAndReadsTheSameNoise() throws InvalidLearnedNoiseException {
        String text = LearnedNoiseJson.write(NOISE);
        assertThat(text).contains("\"format\" : \"" + LearnedNoiseJson.FORMAT + "\"").contains("\"measure\" : \"inclusive\"")
                .contains("\"type\" : \"alloc_bytes\"");
        LearnedNoise read = LearnedNoiseJson.read(text);
        assertThat(read).isEqualTo(NOISE);
        assertThat(LearnedNoiseJson.write(read)).isEqualTo(text);
    }

    @Test
    void namesWhatIsWrongWithABadDocument() {
        assertThatThrownBy(() -> LearnedNoiseJson.read("{not json")).isInstanceOf(InvalidLearnedNoiseException.class)
                .hasMessageStartingWith("not valid JSON");
        assertThatThrownBy(() -> LearnedNoiseJson.read("[]")).hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> LearnedNoiseJson.read("{\"format\": \"other\", \"verdicts\": 1, \"functions\": []}"))
                .hasMessageStartingWith("format: expected");
        String head = "{\"format\": \"" + LearnedNoiseJson.FORMAT + "\", ";
        assertThatThrownBy(() -> LearnedNoiseJson.read(head + "\"verdicts\": -1, \"functions\": []}"))
                .hasMessageStartingWith("verdicts: expected a whole number");
        assertThatThrownBy(() -> LearnedNoiseJson.read(head + "\"verdicts\": 1, \"functions\": [{\"type\": \"cpu\", "
                + "\"measure\": \"self\", \"function\": \"f\", \"podVariance\": \"x\", \"df\": 2}]}"))
                .hasMessageStartingWith("functions[0].podVariance: expected a number");
        assertThatThrownBy(() -> LearnedNoiseJson.read(head + "\"verdicts\": 1, \"functions\": [{\"type\": \"disk\", "
                + "\"measure\": \"self\", \"function\": \"f\", \"podVariance\": 0.1, \"df\": 2}]}"))
                .hasMessageStartingWith("functions[0]: profile type \"disk\" must be one of");
        assertThatThrownBy(() -> LearnedNoiseJson.read(head + "\"verdicts\": 1, \"functions\": [{\"type\": \"cpu\", "
                + "\"measure\": \"total\", \"function\": \"f\", \"podVariance\": 0.1, \"df\": 2}]}"))
                .hasMessageStartingWith("functions[0].measure: expected \"self\" or \"inclusive\"");
        assertThatThrownBy(() -> LearnedNoiseJson.read(head + "\"verdicts\": 1, \"functions\": [{\"type\": \"cpu\", "
                + "\"measure\": \"self\", \"function\": \"f\", \"podVariance\": 0.1, \"df\": 0}]}"))
                .hasMessageContaining("positive degrees of freedom");
        String entry = "{\"type\": \"cpu\", \"measure\": \"self\", \"function\": \"f\", \"podVariance\": 0.1, \"df\": 2}";
        assertThatThrownBy(() -> LearnedNoiseJson.read(head + "\"verdicts\": 1, \"functions\": [" + entry + ", " + entry
                + "]}")).hasMessage("functions[1]: f (cpu, self) listed twice");
    }
}
