package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code --output -} is stdout, as for most command-line tools: it wrote a file named {@code -} into the working
 * directory and left stdout empty, so {@code compare ... --output - | jq .result} read nothing.
 */
class CompareOutputDashTest {

    @Test
    void outputDashWritesTheVerdictToStdoutAndNoFileNamedDash() throws Exception {
        Path shop = SharedFixtures.projectRoot().resolve("examples/profiles/shop");
        Path dash = Path.of("-").toAbsolutePath();
        assertThat(dash).doesNotExist();
        try {
            CliRun run = CliRun.of("compare", "--format", "json", "--output", "-",
                    "--baseline", shop.resolve("shop-6d4f8c7b9-k2x7p").toString(),
                    "--baseline", shop.resolve("shop-6d4f8c7b9-w5n3j").toString(),
                    "--canary", shop.resolve("shop-7f9b6c5d4-m4q8z").toString(),
                    "--canary", shop.resolve("shop-7f9b6c5d4-r9t2w").toString());

            assertThat(run.status()).as(run.err()).isEqualTo(1);
            assertThat(JsonMapper.builder().build().readTree(run.out()).path("result").asString()).isEqualTo("FAIL");
            assertThat(dash).doesNotExist();
        } finally {
            Files.deleteIfExists(dash);
        }
    }
}
