package io.canaryjudge.config;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Flagger webhook ({@code canary-judge.flagger.*}). Flagger's payload names only the canary
 * ({@code name}, {@code namespace}); these templates say which profiles belong to the primary (baseline)
 * and the canary. Flagger's primary pods carry {@code app=NAME-primary}, the canary's {@code app=NAME}.
 *
 * @param application    the application (e.g. Pyroscope's service_name) when the webhook's metadata does not
 *                       give one; placeholders {@code {name}} and {@code {namespace}}
 * @param baselineLabels label name → value template of the primary (baseline) pods
 * @param canaryLabels   label name → value template of the canary pods
 * @param inconclusive   what an INCONCLUSIVE verdict answers Flagger: FAIL (a 4xx: not a pass, the default)
 *                       or PASS (200)
 * @param lookback       the window (ending now) when the metadata gives none; unset = canary-judge.analysis.lookback
 */
@ConfigurationProperties("canary-judge.flagger")
public record FlaggerProperties(@DefaultValue("{name}") String application, Map<String, String> baselineLabels,
                                Map<String, String> canaryLabels, @DefaultValue("FAIL") InconclusiveAnswer inconclusive,
                                Duration lookback) {

    private static final String P = "canary-judge.flagger.";

    /** What Flagger is told when there is not enough data for a verdict. */
    public enum InconclusiveAnswer {
        /** A 4xx: the check failed (Flagger counts it towards its failure threshold). */
        FAIL,
        /** 200: the check passed. */
        PASS
    }

    public FlaggerProperties {
        SelectorTemplate.check(application, P + "application");
        baselineLabels = PropertyCheck.labelTemplates(
                baselineLabels == null || baselineLabels.isEmpty() ? Map.of("app", "{name}-primary") : baselineLabels,
                P + "baseline-labels");
        canaryLabels = PropertyCheck.labelTemplates(
                canaryLabels == null || canaryLabels.isEmpty() ? Map.of("app", "{name}") : canaryLabels,
                P + "canary-labels");
        if (baselineLabels.equals(canaryLabels)) {
            throw new IllegalArgumentException(P + "baseline-labels and " + P + "canary-labels are the same: they"
                    + " would select the same pods");
        }
        if (inconclusive == null) {
            inconclusive = InconclusiveAnswer.FAIL;
        }
        if (lookback != null) {
            PropertyCheck.positive(lookback, P + "lookback");
        }
    }

    public static FlaggerProperties defaults() {
        return new FlaggerProperties("{name}", null, null, InconclusiveAnswer.FAIL, null);
    }
}
