package io.canaryjudge.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where verdicts are kept ({@code canary-judge.store.*}).
 *
 * @param capacity verdicts kept in memory (the zero-setup store); the oldest go first
 */
@ConfigurationProperties("canary-judge.store")
public record StoreProperties(@DefaultValue("1000") int capacity) {
    public StoreProperties {
        PropertyCheck.atLeast(capacity, 1, "canary-judge.store.capacity");
    }
}
