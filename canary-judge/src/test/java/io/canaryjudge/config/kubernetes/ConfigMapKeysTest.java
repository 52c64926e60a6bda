package io.canaryjudge.config.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigMapKeysTest {

    @Test
    void withOneKeyAnyFileNameIsRead() {
        assertThat(ConfigMapKeys.notRead(Map.of("application.yaml", "a: 1"), "canary-judge", List.of())).isEmpty();
    }

    @Test
    void withMoreKeysOnlyFileKeysNamedAfterTheApplicationAreRead() {
        Map<String, String> data = Map.of("canary-judge.yaml", "", "canary-judge-prod.yml", "", "canary-judge-dev.yml", "",
                "canary-judge.judge-config.inline", "", "application.yaml", "", "judge.properties", "",
                "canary-judge.configs.checkout.lookback", "15m");

        assertThat(ConfigMapKeys.notRead(data, "canary-judge", List.of("prod")))
                .containsExactly("application.yaml", "canary-judge-dev.yml", "judge.properties");
    }
}
