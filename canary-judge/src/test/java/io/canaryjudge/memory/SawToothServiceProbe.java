package io.canaryjudge.memory;

import io.canaryjudge.CanaryJudgeApplication;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Exploratory: what the service says on the saw-tooth recording, by scenario and canary age. */
@EnabledIfSystemProperty(named = "qa52.probe", matches = "true")
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.local.match-windows=true", "canary-judge.analysis.warmup=0s",
                "canary-judge.analysis.deadline=60s", "canary-judge.prometheus.application-label=app",
                "canary-judge.prometheus.timeout=20s", "canary-judge.prometheus.gates.error-ratio.enabled=false",
                "canary-judge.prometheus.gates.latency-p99.enabled=false",
                "canary-judge.configs.live.heap.exporter=micrometer-live-data"})
class SawToothServiceProbe extends SawToothService {
    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        register(registry, url -> url);
    }

    @Test
    void probe() {
        String configs = System.getProperty("qa52.configs", "default,live");
        String ages = System.getProperty("qa52.ages", "1,5,10,20,30");
        for (String config : configs.split(",")) {
            for (String scenario : System.getProperty("qa52.scenarios", "aa,bigger-flat,leak-sessions,leak-listeners").split(",")) {
                for (String age : ages.split(",")) {
                    JsonNode v = analyse(scenario, config.equals("default") ? null : config,
                            Duration.ofMinutes(Integer.parseInt(age)));
                    JsonNode memory = v.get("dataQuality").get("memory");
                    System.out.println("PROBE " + config + " " + scenario + " age " + age + ": " + v.get("result").asString()
                            + " | " + v.get("summary").asString() + "\n   memory notes: "
                            + (memory == null || memory.isNull() ? "-" : memory.get("notes").toString())
                            + "\n   warnings: " + v.get("dataQuality").get("warnings").toString());
                }
            }
        }
    }
}
