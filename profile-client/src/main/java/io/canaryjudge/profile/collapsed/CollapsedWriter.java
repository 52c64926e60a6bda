package io.canaryjudge.profile.collapsed;

import io.canaryjudge.profile.Profile;
import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes profile columns as collapsed ("folded") stacks: frames root first joined by {@code ;},
 * a space, the value; one line per distinct stack, sorted by the stack text so output is
 * deterministic and diffable. Stacks that differ only by labels are merged; zero totals are
 * skipped. Frame names are the profile's normalised names ({@link Profile#functionName}); the
 * characters the format cannot carry inside a frame ({@code ;} and line breaks) become
 * {@code ,} and a space. A stack without frames is written as {@code [unknown]} so totals
 * still add up.
 *
 * <p>Add one or more columns ({@link #add}), possibly of several profiles (time slices of one
 * recording), then {@link #writeTo} once. For one column, {@link #write} does both.
 */
public final class CollapsedWriter {
    private final Map<String, long[]> totals = new HashMap<>();

    /** Writes one column of a profile; the writer is flushed, not closed. */
    public static void write(Profile profile, int sampleTypeIndex, Writer out) throws IOException {
        CollapsedWriter writer = new CollapsedWriter();
        writer.add(profile, sampleTypeIndex);
        writer.writeTo(out);
    }

    /** Adds the values of one column of {@code profile}, merging equal stacks. */
    public CollapsedWriter add(Profile profile, int sampleTypeIndex) {
        String[] names = new String[profile.functionCount()];
        for (int f = 0; f < names.length; f++) {
            names[f] = safe(profile.functionName(f));
        }
        StringBuilder text = new StringBuilder(256);
        for (int s = 0, stacks = profile.stackCount(); s < stacks; s++) {
            long value = profile.value(s, sampleTypeIndex);
            if (value == 0) {
                continue;
            }
            text.setLength(0);
            int depth = profile.stackDepth(s);
            if (depth == 0) {
                text.append("[unknown]");
            }
            for (int d = depth - 1; d >= 0; d--) {
                text.append(names[profile.stackFunction(s, d)]);
                if (d > 0) {
                    text.append(';');
                }
            }
            String stack = text.toString();
            long[] total = totals.get(stack);
            if (total == null) {
                totals.put(stack, total = new long[1]);
            }
            total[0] += value;
        }
        return this;
    }

    /** Writes the merged lines, sorted by stack text, and flushes {@code out}. */
    public void writeTo(Writer out) throws IOException {
        String[] stacks = totals.keySet().toArray(new String[0]);
        Arrays.sort(stacks);
        for (String stack : stacks) {
            long value = totals.get(stack)[0];
            if (value == 0) {
                continue;
            }
            out.write(stack);
            out.write(' ');
            out.write(Long.toString(value));
            out.write('\n');
        }
        out.flush();
    }

    private static String safe(String name) {
        if (name.indexOf(';') < 0 && name.indexOf('\n') < 0 && name.indexOf('\r') < 0) {
            return name;
        }
        return name.replace(';', ',').replace('\n', ' ').replace('\r', ' ');
    }
}
