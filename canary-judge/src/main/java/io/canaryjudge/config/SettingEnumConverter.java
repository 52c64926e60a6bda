package io.canaryjudge.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.ConditionalGenericConverter;

/**
 * Reads a setting whose values are one of the service's enums ({@code canary-judge.analysis.profile-types},
 * {@code canary-judge.store.type}, {@code canary-judge.flagger.inconclusive}, {@code ….heap.exporter}) as Spring does
 * (any case, dashes or underscores: {@code alloc-bytes}, {@code ALLOC_BYTES}), but a value that is none of them names
 * the accepted ones: Spring's own refusal was "No enum constant io.canaryjudge.profile.ProfileType.alloc", which lists
 * nothing, while {@code compare --profile-type alloc} lists every type.
 */
final class SettingEnumConverter implements ConditionalGenericConverter {
    @Override
    public Set<ConvertiblePair> getConvertibleTypes() {
        return Set.of(new ConvertiblePair(String.class, Enum.class));
    }

    @Override
    public boolean matches(TypeDescriptor sourceType, TypeDescriptor targetType) {
        // only the service's own enums: Spring's and other libraries' settings keep Spring's conversion
        return targetType.getType().isEnum() && targetType.getType().getName().startsWith("io.canaryjudge.");
    }

    @Override
    public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
        if (source == null || source.toString().isBlank()) {
            return null;
        }
        Enum<?>[] constants = (Enum<?>[]) targetType.getType().getEnumConstants();
        String wanted = loose(source.toString());
        for (Enum<?> constant : constants) {
            if (loose(constant.name()).equals(wanted) || loose(constant.toString()).equals(wanted)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("\"" + source + "\" is not one of " + Arrays.stream(constants)
                .map(SettingEnumConverter::spelling).collect(Collectors.joining(", ")));
    }

    /** How the docs write a value: the enum's own name for it ({@code alloc_bytes}), else {@code micrometer-live-data}. */
    private static String spelling(Enum<?> constant) {
        return constant.toString().equals(constant.name())
                ? constant.name().toLowerCase(Locale.ROOT).replace('_', '-') : constant.toString();
    }

    private static String loose(String text) {
        return text.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }
}
