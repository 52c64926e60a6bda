package io.canaryjudge.web;

import io.canaryjudge.analysis.AnalysisRequest;
import io.canaryjudge.config.AnalysisConfig;
import io.canaryjudge.config.AnalysisConfigs;
import io.canaryjudge.config.AnalysisProperties;
import io.canaryjudge.config.DurationText;
import io.canaryjudge.config.InvalidConfigException;
import io.canaryjudge.config.JudgeConfigFile;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.ProfileSource;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.source.Deadline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns what callers send (the JSON body, an upload's form fields, Flagger's payload) into a checked
 * {@link AnalysisRequest}. Every problem is an {@link InvalidFieldException} naming the field, or an
 * {@link AnalysisConfigs.UnknownConfigException}.
 */
public final class AnalysisRequests {
    /** Longest application, namespace or label value accepted: far beyond real names, short of abuse. */
    static final int MAX_TEXT = 1024;
    /**
     * Most label matchers in one group's selector, and most characters of their names and values together: far
     * beyond real selectors (a pod-template hash, an app name, a namespace), short of abuse. Every stored analysis
     * echoes its selectors several times (summary, data quality, request), and the in-memory store keeps 1,000 of
     * them: requests of 240 labels of 1,000 characters (within the 256 KB body limit) made verdicts of 1 MB each, and
     * 485 of them ran a 512 MB service out of heap; at these bounds a verdict echoes at most a few tens of KB.
     */
    static final int MAX_LABELS = 32;
    static final int MAX_SELECTOR_TEXT = 4096;
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final AnalysisConfigs configs;
    private final AnalysisProperties settings;
    private final Clock clock;

    public AnalysisRequests(AnalysisConfigs configs, AnalysisProperties settings, Clock clock) {
        this.configs = configs;
        this.settings = settings;
        this.clock = clock;
    }

    /** A JSON analysis request; the deadline starts now. */
    public AnalysisRequest fromJson(AnalysisRequestBody body, String reportBaseUrl)
            throws AnalysisConfigs.UnknownConfigException {
        if (body == null) {
            throw new InvalidFieldException("body", "the request body is empty; send a JSON analysis request");
        }
        Deadline deadline = deadline(body.deadline(), "deadline");
        // Argo fills application and namespace from AnalysisTemplate args as it fills the labels: an unfilled
        // placeholder is a template mistake, refused like one in a label, not an INCONCLUSIVE "no pods".
        String application = filled(text(body.application(), "application", true), "application");
        String namespace = filled(text(body.namespace(), "namespace", false), "namespace");
        AnalysisConfig config = config(body.config(), application, "config");
        if (body.overrides() != null) {
            try {
                config = config.withJudge(JudgeConfigFile.withThresholds(config.judge(), body.overrides(), "request",
                        "overrides"));
            } catch (InvalidConfigException e) {
                throw new InvalidFieldException(e.key().isEmpty() ? "overrides" : e.key(),
                        e.getMessage().replaceFirst("^request: ", ""));
            }
        }
        ProfileSelector baseline = selector(application, namespace, body.baseline(), "baseline");
        ProfileSelector canary = selector(application, namespace, body.canary(), "canary");
        if (baseline.labels().equals(canary.labels())) {
            throw new InvalidFieldException("canary.labels", "canary.labels select the same pods as baseline.labels;"
                    + " give each group the label that tells them apart (e.g. rollouts_pod_template_hash)");
        }
        TimeWindow window = window(body.start(), body.end(), body.lookback(), config.lookback(), "");
        List<ProfileType> types = profileTypes(body.profileTypes(), "profileTypes", config.profileTypes());
        return new AnalysisRequest(application, namespace, baseline, canary, null, window, types, config, deadline,
                reportBaseUrl, List.of(), typesDefaulted(body.profileTypes(), config));
    }

    /**
     * Whether a request's profile types are the service's defaults ({@code canary-judge.analysis.profile-types}): it
     * named none, and its config names none or exactly the defaults (as a {@code failOnTypes} set to the default's
     * counts as left at it). Only then may what the source holds choose them.
     */
    public boolean typesDefaulted(List<String> requested, AnalysisConfig config) {
        return requested == null && config.profileTypes().equals(settings.profileTypes());
    }

    /** The named config (or the application's own, or the defaults). */
    public AnalysisConfig config(String name, String application, String field)
            throws AnalysisConfigs.UnknownConfigException {
        if (name != null) {
            // "config is required" for an empty one read as if every request needed a config; it is optional
            if (name.isBlank()) {
                throw new InvalidFieldException(field, field + " is empty: name a config, or leave " + field
                        + " out for the application's own config or the defaults");
            }
            text(name, field, true);
        }
        return configs.resolve(name, application);
    }

    /** A deadline from its text (null = the default), starting now. */
    public Deadline deadline(String text, String field) {
        Duration allowed = settings.deadline();
        if (text != null) {
            allowed = duration(text, field);
            if (allowed.compareTo(settings.maxDeadline()) > 0) {
                throw new InvalidFieldException(field, field + " \"" + text + "\" is longer than the most this service"
                        + " allows (" + settings.maxDeadline().toSeconds() + " s, canary-judge.analysis.max-deadline)");
            }
            // Fetching stops judge-time before the deadline: a shorter deadline would fetch nothing and answer an
            // INCONCLUSIVE at once, which reads as a slow source rather than a setting to change.
            if (allowed.compareTo(settings.judgeTime()) <= 0) {
                throw new InvalidFieldException(field, field + " \"" + text + "\" leaves no time to fetch profiles:"
                        + " fetching stops " + settings.judgeTime().toMillis() + " ms before the deadline to judge"
                        + " (canary-judge.analysis.judge-time); give a longer deadline");
            }
        }
        return Deadline.after(allowed, clock);
    }

    /**
     * The window: {@code start}/{@code end}, or {@code lookback} ending now, or the config's lookback.
     *
     * @param prefix prefix of the field names in messages ({@code ""} or {@code "metadata."})
     */
    public TimeWindow window(String start, String end, String lookback, Duration defaultLookback, String prefix) {
        Instant now = clock.instant();
        if (lookback != null && (start != null || end != null)) {
            throw new InvalidFieldException(prefix + "lookback", "give either start and end, or lookback, not both");
        }
        if (start != null || end != null) {
            if (start == null || end == null) {
                throw new InvalidFieldException(prefix + (start == null ? "start" : "end"), "start and end go together;"
                        + " " + (start == null ? "start" : "end") + " is missing");
            }
            Instant from = instant(start, prefix + "start");
            Instant to = instant(end, prefix + "end");
            if (!to.isAfter(from)) {
                throw new InvalidFieldException(prefix + "end", "end " + end + " must be after start " + start);
            }
            checkLength(Duration.between(from, to), prefix + "end");
            return new TimeWindow(from, to);
        }
        Duration length = lookback == null ? defaultLookback : duration(lookback, prefix + "lookback");
        checkLength(length, prefix + "lookback");
        return new TimeWindow(now.minus(length), now);
    }

    private void checkLength(Duration length, String field) {
        if (length.compareTo(settings.maxWindow()) > 0) {
            throw new InvalidFieldException(field, "the window of " + length.toMinutes() + " min is longer than the"
                    + " most this service judges at once (" + settings.maxWindow().toMinutes()
                    + " min, canary-judge.analysis.max-window)");
        }
    }

    /** Profile type ids (null = the defaults); an unknown one is named with its index. */
    public List<ProfileType> profileTypes(List<String> ids, String field, List<ProfileType> defaults) {
        if (ids == null) {
            return defaults;
        }
        if (ids.isEmpty()) {
            throw new InvalidFieldException(field, field + " is empty; name at least one of " + ProfileType.validIds()
                    + " or leave it out for " + defaults);
        }
        Set<ProfileType> types = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            try {
                types.add(ProfileType.judgedFromId(id));
            } catch (IllegalArgumentException e) {
                throw new InvalidFieldException(field + "[" + i + "]", e.getMessage());
            }
        }
        return List.copyOf(types);
    }

    /**
     * A group's selector: the application, the group's label matchers and, when a namespace label is configured,
     * the namespace.
     */
    public ProfileSelector selector(String application, String namespace, AnalysisRequestBody.GroupBody group,
                                    String field) {
        if (group == null) {
            throw new InvalidFieldException(field, field + " is missing: give {\"labels\": {...}} that select the "
                    + field + " pods");
        }
        if (group.labels() == null || group.labels().isEmpty()) {
            throw new InvalidFieldException(field + ".labels", field + ".labels is empty: give at least one label that"
                    + " selects the " + field + " pods (e.g. rollouts_pod_template_hash)");
        }
        return selector(application, namespace, group.labels(), field + ".labels");
    }

    /** A selector from label name → value; each name and value checked (the field is {@code prefix.NAME}). */
    public ProfileSelector selector(String application, String namespace, Map<String, String> labels, String prefix) {
        if (labels.size() > MAX_LABELS) {
            throw new InvalidFieldException(prefix, prefix + " has " + labels.size() + " labels; a group's selector holds"
                    + " at most " + MAX_LABELS);
        }
        long characters = 0;
        for (Map.Entry<String, String> label : labels.entrySet()) {
            characters += label.getKey().length() + (label.getValue() == null ? 0 : label.getValue().length());
        }
        if (characters > MAX_SELECTOR_TEXT) {
            throw new InvalidFieldException(prefix, prefix + " hold " + characters + " characters of names and values;"
                    + " a group's selector holds at most " + MAX_SELECTOR_TEXT);
        }
        List<LabelMatcher> matchers = new ArrayList<>();
        for (Map.Entry<String, String> label : labels.entrySet()) {
            String field = prefix + "." + label.getKey();
            if (!LABEL_NAME.matcher(label.getKey()).matches()) {
                throw new InvalidFieldException(field, "label name \"" + label.getKey()
                        + "\" must match [a-zA-Z_][a-zA-Z0-9_]* (Pyroscope and Prometheus write rollouts-pod-template-hash"
                        + " as rollouts_pod_template_hash)");
            }
            String value = label.getValue();
            if (value == null) {
                throw new InvalidFieldException(field, "label " + label.getKey() + " has no value");
            }
            text(value, field, false);
            if (value.contains("{{")) {
                throw new InvalidFieldException(field, "label " + label.getKey() + " is \"" + value
                        + "\", an argument placeholder that was not filled in");
            }
            matchers.add(new LabelMatcher(label.getKey(), value));
        }
        String namespaceLabel = settings.namespaceLabel();
        if (namespace != null && !namespaceLabel.isEmpty() && !labels.containsKey(namespaceLabel)) {
            matchers.add(new LabelMatcher(namespaceLabel, namespace));
        }
        return new ProfileSelector(application, matchers);
    }

    /**
     * The application, unless the profile source can never look it up (the local directory source turns it into a
     * path): then a bad request naming {@code field}, not an INCONCLUSIVE for missing data.
     */
    public static String application(ProfileSource source, String application, String field) {
        String refused = source.refusedApplication(application);
        if (refused != null) {
            throw new InvalidFieldException(field, field + " \"" + application + "\" " + refused + ": the "
                    + source.name() + " profile source reads each application from a directory inside its own"
                    + " (canary-judge.local.directory)");
        }
        return application;
    }

    /** The value, unless it still holds an argument placeholder ({@code {{args.x}}}) that was not filled in. */
    private static String filled(String value, String field) {
        if (value != null && value.contains("{{")) {
            throw new InvalidFieldException(field, field + " is \"" + value
                    + "\", an argument placeholder that was not filled in");
        }
        return value;
    }

    /** Text without control characters, at most {@link #MAX_TEXT} long; null allowed unless required. */
    public static String text(String value, String field, boolean required) {
        if (value == null || (required && value.isBlank())) {
            if (required) {
                throw new InvalidFieldException(field, field + " is required");
            }
            return null;
        }
        if (value.length() > MAX_TEXT) {
            throw new InvalidFieldException(field, field + " is longer than " + MAX_TEXT + " characters");
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidFieldException(field, field + " contains control characters");
        }
        return value;
    }

    static Duration duration(String text, String field) {
        Duration duration;
        try {
            duration = DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(field, field + " " + e.getMessage());
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new InvalidFieldException(field, field + " must be longer than zero, was \"" + text + "\"");
        }
        return duration;
    }

    private static Instant instant(String text, String field) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException(field, field + " \"" + text + "\" must be an ISO-8601 time with an offset,"
                    + " e.g. 2026-11-25T10:00:00Z");
        }
    }
}
