package io.canaryjudge.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.config.InvalidConfigException;
import io.canaryjudge.config.JudgeConfigFile;
import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The configuration file's {@code memoryGrowth:} keys, per application (service). */
class MemoryGrowthConfigFileTest {
    @Test
    void memoryGrowthIsSetPerServiceOverTheTopLevel() throws Exception {
        JudgeConfigFile file = JudgeConfigFile.parse("""
                memoryGrowth:
                  minSlopeMiBPerHour: 20
                  warmup: 10m
                services:
                  checkout:
                    memoryGrowth: {fail: false, min-points: 8, maxDetectableGrowthMiBPerHour: 0, window: 45m}
                  search:
                    warmup: 1m
                """, "judge.yaml");

        assertThat(file.memoryGrowth()).isEqualTo(MemoryGrowthConfig.DEFAULTS.withMinSlopeMiBPerHour(20)
                .withWarmup(Duration.ofMinutes(10)));
        MemoryGrowthConfig checkout = file.memoryGrowth("checkout");
        assertThat(checkout.fail()).isFalse();
        assertThat(checkout.minPoints()).isEqualTo(8);
        assertThat(checkout.minSlopeMiBPerHour()).isEqualTo(20);
        assertThat(checkout.maxDetectableGrowthMiBPerHour()).isZero();
        assertThat(checkout.window()).isEqualTo(Duration.ofMinutes(45));
        assertThat(file.memoryGrowth().window()).isEqualTo(Duration.ofMinutes(30));
        assertThat(file.memoryGrowth().maxDetectableGrowthMiBPerHour()).isEqualTo(42);
        assertThat(file.memoryGrowth("search")).isEqualTo(file.memoryGrowth());
        // the judge's own warm-up (profiles) is a different key from the memory check's
        assertThat(file.judgeConfig("search").warmup()).isEqualTo(Duration.ofMinutes(1));
        assertThat(JudgeConfigFile.empty().memoryGrowth()).isEqualTo(MemoryGrowthConfig.DEFAULTS);
    }

    @Test
    void badMemoryGrowthValuesNameTheKey() {
        assertThatThrownBy(() -> JudgeConfigFile.parse("memoryGrowth: {minSlopeMiBperHour: 3}", "judge.yaml"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("memoryGrowth.minSlopeMiBperHour: unknown key")
                .hasMessageContaining("minSlopeMiBPerHour");
        assertThatThrownBy(() -> JudgeConfigFile.parse("memoryGrowth: {fail: maybe}", "judge.yaml"))
                .hasMessageContaining("memoryGrowth.fail").hasMessageContaining("true or false");
        assertThatThrownBy(() -> JudgeConfigFile.parse("services: {a: {memoryGrowth: {maxPValue: 2}}}", "judge.yaml"))
                .hasMessageContaining("services.a.memoryGrowth").hasMessageContaining("maxPValue");
        assertThatThrownBy(() -> JudgeConfigFile.parse("memoryGrowth: {warmup: soon}", "judge.yaml"))
                .hasMessageContaining("memoryGrowth.warmup").hasMessageContaining("duration");
        assertThatThrownBy(() -> JudgeConfigFile.parse("memoryGrowth: {maxDetectableGrowthMiBPerHour: -1}", "judge.yaml"))
                .hasMessageContaining("memoryGrowth").hasMessageContaining("maxDetectableGrowthMiBPerHour must be >= 0");
        assertThatThrownBy(() -> JudgeConfigFile.parse("memoryGrowth: {window: -5m}", "judge.yaml"))
                .hasMessageContaining("memoryGrowth").hasMessageContaining("window");
        assertThatThrownBy(() -> JudgeConfigFile.parse("memoryGrowth: 5", "judge.yaml"))
                .hasMessageContaining("memoryGrowth").hasMessageContaining("mapping");
    }
}
