package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A canary in which one method takes most of the CPU from every other one: real recordings of the rule-script
 * service (qa29, six JVMs of the same code, a flat profile of ~1,800 functions), the canary pods' stacks through
 * {@code ScriptRules.renderReceipt} (2 % of CPU) counted 1,000 times, as a method that became 1,000 times dearer shows
 * (94 % of the canary's samples). Normalised for composition its share passes the whole profile (a synthetic
 * 40 % → 95 % read "11.7 % → 324.7 % of CPU"), and the FDR weights gave a pooled share above 1 — meant for a thread
 * root's, which cannot rise — weight 0: the largest regression there is had q = 1, "unchanged", and the verdict
 * PASSed. It now FAILs, said in the shares sampled.
 */
class CompareOneFunctionTakesTheCpuTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path DIR = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa29");
    private static final Pattern SHARE_OF_CPU = Pattern.compile("(\\d+(?:\\.\\d+)?) % (?:→ (\\d+(?:\\.\\d+)?) % )?of CPU");
    private static final String DEARER = "io/canaryjudge/qa29/ScriptRules.renderReceipt_";
    private static final int TIMES = 1000;

    @TempDir
    Path dir;

    @Test
    void aMethodThatTookMostOfTheCpuFailsInSharesAsSampled() throws Exception {
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json", "--profile-type", "cpu"));
        for (int pod = 1; pod <= 3; pod++) {
            args.addAll(List.of("--baseline", DIR.resolve("aa-" + pod).toString()));
            args.addAll(List.of("--canary", dearer("aa-" + (pod + 3)).toString()));
        }

        CliRun run = CliRun.of(args.toArray(String[]::new));
        JsonNode verdict = JSON.readTree(run.out());

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(run.out()).isEqualTo("FAIL");
        assertThat(summary).contains("`io.canaryjudge.qa29.ScriptRules.renderReceipt`")
                .contains("against the rest of the profile");
        Matcher shares = SHARE_OF_CPU.matcher(summary);
        int said = 0;
        while (shares.find()) {
            for (int g = 1; g <= 2; g++) {
                if (shares.group(g) != null) {
                    assertThat(Double.parseDouble(shares.group(g))).as(summary).isLessThanOrEqualTo(100.0);
                    said++;
                }
            }
        }
        assertThat(said).as(summary).isGreaterThanOrEqualTo(2);
    }

    /** A copy of a recorded pod whose stacks through {@link #DEARER} count {@link #TIMES} times. */
    private Path dearer(String pod) throws IOException {
        Path out = Files.createDirectories(dir.resolve(pod));
        try (var slices = Files.list(DIR.resolve(pod))) {
            for (Path slice : slices.sorted().toList()) {
                StringBuilder text = new StringBuilder();
                try (InputStream in = new GZIPInputStream(Files.newInputStream(slice))) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        int space = line.lastIndexOf(' ');
                        if (space < 0) {
                            continue;
                        }
                        long count = Long.parseLong(line.substring(space + 1).trim());
                        long times = line.contains(DEARER) ? TIMES : 1;
                        text.append(line, 0, space).append(' ').append(count * times).append('\n');
                    }
                }
                Files.writeString(out.resolve(slice.getFileName().toString().replace(".gz", "")), text);
            }
        }
        return out;
    }
}
