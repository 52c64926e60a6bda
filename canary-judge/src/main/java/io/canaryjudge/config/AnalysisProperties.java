package io.canaryjudge.config;

import io.canaryjudge.profile.ProfileType;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How an analysis runs ({@code canary-judge.analysis.*}). Every check names the property it is about.
 *
 * @param slice            length of one observation (time slice) of a pod; a window shorter than a few
 *                         slices gives few observations and the verdict says so
 * @param instanceLabel    the profile label that names a pod (one JVM); slices with equal values share a JVM
 * @param namespaceLabel   the label a request's {@code namespace} is matched against; empty = namespaces ignored
 * @param warmup           time after a canary pod's first profile that is left out (JIT, class loading);
 *                         applied only to pods that started inside the window
 * @param deadline         answer within this time of receiving a request; below the caller's timeout (Argo's
 *                         Web provider: 10 s by default). When it passes, the answer is INCONCLUSIVE with the reason
 * @param maxDeadline      the longest deadline a request may ask for
 * @param judgeTime        the part of the deadline kept for judging once fetching stops
 * @param lookback         the window when a request gives neither start/end nor lookback
 * @param maxWindow        the longest window a request may ask for
 * @param historyWindows   earlier windows of the baseline pods fetched to learn noise (never the baseline level);
 *                         0 = none
 * @param profileTypes     profile types fetched when a request and its config name none
 * @param fetchConcurrency source calls in flight per analysis: a listing, a metric query, or one pod's slices of one type
 * @param maxConcurrent    analyses running at once
 * @param queue            analyses waiting for a slot; beyond it requests get 429 with Retry-After
 * @param responseFindings findings (and incidents) kept in the HTTP answer of an analysis; the stored verdict
 *                         (GET /api/v1/analyses/{id}) has all of them
 * @param learnNoise       keep each analysis's lesson about each function's noise in the verdict store and judge
 *                         later analyses of the application with it (README "How it judges", item 2); false = each
 *                         analysis learns from its own pods and history only
 */
@ConfigurationProperties("canary-judge.analysis")
public record AnalysisProperties(
        @DefaultValue("60s") Duration slice,
        @DefaultValue("pod") String instanceLabel,
        @DefaultValue("namespace") String namespaceLabel,
        @DefaultValue("2m") Duration warmup,
        @DefaultValue("8s") Duration deadline,
        @DefaultValue("60s") Duration maxDeadline,
        @DefaultValue("1500ms") Duration judgeTime,
        @DefaultValue("10m") Duration lookback,
        @DefaultValue("1h") Duration maxWindow,
        @DefaultValue("1") int historyWindows,
        @DefaultValue({"cpu", "alloc_bytes"}) List<ProfileType> profileTypes,
        @DefaultValue("8") int fetchConcurrency,
        @DefaultValue("4") int maxConcurrent,
        @DefaultValue("16") int queue,
        @DefaultValue("5") int responseFindings,
        @DefaultValue("true") boolean learnNoise) {

    private static final String P = "canary-judge.analysis.";

    public AnalysisProperties {
        PropertyCheck.positive(slice, P + "slice");
        PropertyCheck.labelName(instanceLabel, P + "instance-label");
        if (namespaceLabel == null) {
            namespaceLabel = "";
        }
        if (!namespaceLabel.isEmpty()) {
            PropertyCheck.labelName(namespaceLabel, P + "namespace-label");
        }
        PropertyCheck.notNegative(warmup, P + "warmup");
        PropertyCheck.positive(deadline, P + "deadline");
        PropertyCheck.positive(maxDeadline, P + "max-deadline");
        if (deadline.compareTo(maxDeadline) > 0) {
            throw new IllegalArgumentException(P + "deadline (" + deadline + ") must not exceed " + P + "max-deadline ("
                    + maxDeadline + ")");
        }
        PropertyCheck.notNegative(judgeTime, P + "judge-time");
        if (judgeTime.compareTo(deadline) >= 0) {
            throw new IllegalArgumentException(P + "judge-time (" + judgeTime + ") must be shorter than " + P
                    + "deadline (" + deadline + ")");
        }
        PropertyCheck.positive(lookback, P + "lookback");
        PropertyCheck.positive(maxWindow, P + "max-window");
        if (lookback.compareTo(maxWindow) > 0) {
            throw new IllegalArgumentException(P + "lookback (" + lookback + ") must not exceed " + P + "max-window ("
                    + maxWindow + ")");
        }
        PropertyCheck.atLeast(historyWindows, 0, P + "history-windows");
        if (profileTypes == null || profileTypes.isEmpty()) {
            throw new IllegalArgumentException(P + "profile-types must name at least one of " + ProfileType.validIds());
        }
        judgedOnItsOwn(profileTypes, P + "profile-types");
        profileTypes = List.copyOf(profileTypes);
        PropertyCheck.atLeast(fetchConcurrency, 1, P + "fetch-concurrency");
        PropertyCheck.atLeast(maxConcurrent, 1, P + "max-concurrent");
        PropertyCheck.atLeast(queue, 0, P + "queue");
        PropertyCheck.atLeast(responseFindings, 1, P + "response-findings");
    }

    /** Refuses {@code old_live_objects} by name ({@link ProfileType#judgedFromId}): not a type to judge on its own. */
    static void judgedOnItsOwn(List<ProfileType> types, String setting) {
        for (ProfileType type : types) {
            if (!type.judgedOnItsOwn()) {
                try {
                    ProfileType.judgedFromId(type.id());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(setting + ": " + e.getMessage());
                }
            }
        }
    }

    /** The defaults, for tests and code that runs without Spring. */
    public static AnalysisProperties defaults() {
        return new AnalysisProperties(Duration.ofSeconds(60), "pod", "namespace", Duration.ofMinutes(2),
                Duration.ofSeconds(8), Duration.ofSeconds(60), Duration.ofMillis(1500), Duration.ofMinutes(10),
                Duration.ofHours(1), 1, List.of(ProfileType.CPU, ProfileType.ALLOC_BYTES), 8, 4, 16, 5, true);
    }
}
