package io.canaryjudge.config;

import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.PlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

/**
 * Refuses a {@code canary-judge.*} duration or size written as a bare number. Spring reads {@code 5} as 5 ms and 5
 * bytes, while an operator writing {@code CANARY_JUDGE_LOCAL_TIMEOUT=5} or {@code max-age: 30} means seconds or days:
 * the service then started and answered INCONCLUSIVE to every analysis ("no answer … within 5 ms", its circuit open),
 * or deleted every stored verdict 30 ms after saving it. Such a value stops start-up (and a ConfigMap change is
 * refused) with a message naming the property, what Spring would have read and the forms accepted. {@code 0} needs
 * no unit, and a setting declared with its own unit ({@link DurationUnit}, {@link DataSizeUnit}) takes numbers.
 */
public final class UnitRequiredBindHandler extends AbstractBindHandler {
    private static final Pattern BARE_NUMBER = Pattern.compile("\\s*[-+]?\\d+(\\.\\d+)?\\s*");
    private static final Pattern ZERO = Pattern.compile("\\s*[-+]?0+(\\.0+)?\\s*");

    private final PlaceholdersResolver placeholders;

    /** @param placeholders resolves {@code ${…}} in a value, so {@code timeout: ${TIMEOUT}} with TIMEOUT=5 is refused too */
    public UnitRequiredBindHandler(BindHandler parent, PlaceholdersResolver placeholders) {
        super(parent);
        this.placeholders = placeholders;
    }

    @Override
    public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result) {
        ConfigurationProperty property = context.getConfigurationProperty();
        // the property just read for this name (the context keeps the last one read, which may be a sibling's)
        if ((result instanceof Duration || result instanceof DataSize) && property != null
                && name.equals(property.getName()) && UnknownPropertiesBindHandler.NAMESPACE.isAncestorOf(name)
                && target.getAnnotation(DurationUnit.class) == null && target.getAnnotation(DataSizeUnit.class) == null) {
            String value = String.valueOf(placeholders.resolvePlaceholders(property.getValue()));
            if (BARE_NUMBER.matcher(value).matches() && !ZERO.matcher(value).matches()) {
                throw new IllegalArgumentException(message(name, value.trim(), result instanceof Duration));
            }
        }
        return super.onSuccess(name, target, context, result);
    }

    /** {@code canary-judge.local.timeout is "5" without a unit, which would be 5 ms; write 5s, …}. */
    static String message(ConfigurationPropertyName name, String number, boolean duration) {
        return duration
                ? name + " is \"" + number + "\" without a unit, which would be " + number + " ms; write the unit, e.g. "
                        + number + "s, " + number + "m or " + number + "ms (units ms, s, m, h, d; or ISO-8601, PT8S)"
                : name + " is \"" + number + "\" without a unit, which would be " + number + " bytes; write the unit,"
                        + " e.g. " + number + "MB, " + number + "KB or " + number + "B";
    }
}
