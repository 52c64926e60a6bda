package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ignore} in the judge configuration on the shipped example (PriceCalculator.applyDiscounts made
 * slower): an ignored function is neither tested nor named — not as a finding, not as an incident's entry
 * frame — while what it calls still is.
 */
class CompareIgnoreTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path SHOP = SharedFixtures.projectRoot().resolve("examples/profiles/shop");

    @TempDir
    Path dir;

    private CliRun compare(String... extra) {
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json", "--profile-type", "cpu",
                "--baseline", SHOP.resolve("shop-6d4f8c7b9-k2x7p").toString(),
                "--baseline", SHOP.resolve("shop-6d4f8c7b9-w5n3j").toString(),
                "--canary", SHOP.resolve("shop-7f9b6c5d4-m4q8z").toString(),
                "--canary", SHOP.resolve("shop-7f9b6c5d4-r9t2w").toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static List<String> functions(JsonNode verdict, String field, String name) {
        List<String> out = new ArrayList<>();
        verdict.get(field).forEach(node -> out.add(node.get(name).asString()));
        return out;
    }

    @Test
    void anIgnoredApplicationFunctionIsNeverNamed() throws IOException {
        CliRun plain = compare();
        JsonNode before = JSON.readTree(plain.out());
        assertThat(functions(before, "findings", "function").get(0)).endsWith("PriceCalculator.applyDiscounts");

        Path config = Files.writeString(dir.resolve("judge.yaml"), """
                ignore:
                  - 'io\\.canaryjudge\\.scenario\\.shop\\.PriceCalculator\\..*'
                """);
        CliRun ignoring = compare("--config", config.toString());
        assertThat(ignoring.status()).as(ignoring.err() + ignoring.out()).isIn(0, 1, 2);
        JsonNode after = JSON.readTree(ignoring.out());
        assertThat(functions(after, "findings", "function")).isNotEmpty()
                .noneMatch(f -> f.contains("PriceCalculator."));
        assertThat(functions(after, "incidents", "entryFrame")).noneMatch(f -> f.contains("PriceCalculator."));
        assertThat(after.get("summary").asString()).doesNotContain("PriceCalculator.");
    }
}
