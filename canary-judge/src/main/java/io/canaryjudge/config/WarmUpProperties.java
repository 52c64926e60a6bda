package io.canaryjudge.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The start-up warm-up ({@code canary-judge.warm-up.*}): one analysis of the example profiles packed in the jar,
 * judged before the service reports ready, so that the first real request does not pay for class loading and the
 * JIT (docs/BENCHMARKS.md, "Service").
 *
 * @param enabled  run it
 * @param maxWait  longest that readiness waits for it; past that the service reports ready and the warm-up finishes
 *                 in the background
 * @param location where the warm-up's pods are: a Spring resource location holding one directory per pod
 *                 ({@code slice-*.pb.gz} and {@code requests.csv}), baseline pods named {@code shop-6d4f8c7b9-*}
 */
@ConfigurationProperties("canary-judge.warm-up")
public record WarmUpProperties(@DefaultValue("true") boolean enabled, @DefaultValue("20s") Duration maxWait,
                               @DefaultValue("classpath:warm-up/") String location) {

    public WarmUpProperties {
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("canary-judge.warm-up.max-wait must be a duration >= 0 (e.g. 20s), was "
                    + maxWait);
        }
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("canary-judge.warm-up.location must name a resource location"
                    + " (e.g. classpath:warm-up/), was \"" + location + "\"");
        }
    }
}
