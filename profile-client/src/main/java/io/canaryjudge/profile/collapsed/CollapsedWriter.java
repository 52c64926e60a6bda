package io.canaryjudge.profile.collapsed;

import io.canaryjudge.profile.Profile;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
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
 *
 * <p>Stacks are kept as sequences of frame ids and compared frame by frame, never as joined
 * text: building, hashing and sorting one string per stack was most of a small file's
 * {@code collapse} after reading (docs/BENCHMARKS.md).
 */
public final class CollapsedWriter {
    private static final String UNKNOWN = "[unknown]";

    /** Frame names (made safe), by frame id; equal names share one id. */
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> nameIds = new HashMap<>();
    /** Frame ids of every distinct stack, root first, one after another. */
    private int[] frames = new int[1024];
    private int framesUsed;
    /** Per distinct stack: where its frames start in {@link #frames}, how many, its total. */
    private int[] starts = new int[256];
    private int[] lengths = new int[256];
    private long[] totals = new long[256];
    private int stackCount;
    /** Open-addressing table of stack indexes + 1 (0 = empty), by the hash of their frames. */
    private int[] table = new int[512];

    /** Writes one column of a profile; the writer is flushed, not closed. */
    public static void write(Profile profile, int sampleTypeIndex, Writer out) throws IOException {
        CollapsedWriter writer = new CollapsedWriter();
        writer.add(profile, sampleTypeIndex);
        writer.writeTo(out);
    }

    /** Adds the values of one column of {@code profile}, merging equal stacks. */
    public CollapsedWriter add(Profile profile, int sampleTypeIndex) {
        int[] ids = new int[profile.functionCount()];
        for (int f = 0; f < ids.length; f++) {
            ids[f] = nameId(safe(profile.functionName(f)));
        }
        int[] stack = new int[64];
        for (int s = 0, count = profile.stackCount(); s < count; s++) {
            long value = profile.value(s, sampleTypeIndex);
            if (value == 0) {
                continue;
            }
            int depth = profile.stackDepth(s);
            if (stack.length < Math.max(depth, 1)) {
                stack = new int[Math.max(depth, stack.length * 2)];
            }
            int length = depth;
            if (depth == 0) {
                stack[0] = nameId(UNKNOWN);
                length = 1;
            }
            for (int d = depth - 1, i = 0; d >= 0; d--, i++) {
                stack[i] = ids[profile.stackFunction(s, d)];
            }
            int index = stackIndex(stack, length); // may grow totals: index it after
            totals[index] += value;
        }
        return this;
    }

    private int nameId(String name) {
        Integer id = nameIds.get(name);
        if (id == null) {
            id = names.size();
            names.add(name);
            nameIds.put(name, id);
        }
        return id;
    }

    /** The index of the stack with these frames, added with a total of 0 when new. */
    private int stackIndex(int[] stack, int length) {
        int hash = 1;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + stack[i];
        }
        hash ^= hash >>> 16;
        int mask = table.length - 1;
        int slot = hash & mask;
        for (int entry = table[slot]; entry != 0; entry = table[slot = (slot + 1) & mask]) {
            int index = entry - 1;
            if (lengths[index] == length && Arrays.equals(frames, starts[index], starts[index] + length, stack, 0, length)) {
                return index;
            }
        }
        if (stackCount == starts.length) {
            starts = Arrays.copyOf(starts, stackCount * 2);
            lengths = Arrays.copyOf(lengths, stackCount * 2);
            totals = Arrays.copyOf(totals, stackCount * 2);
        }
        if (framesUsed + length > frames.length) {
            frames = Arrays.copyOf(frames, Math.max(framesUsed + length, frames.length * 2));
        }
        System.arraycopy(stack, 0, frames, framesUsed, length);
        int index = stackCount++;
        starts[index] = framesUsed;
        lengths[index] = length;
        framesUsed += length;
        table[slot] = index + 1;
        if (stackCount * 2 > table.length) {
            rehash();
        }
        return index;
    }

    private void rehash() {
        table = new int[table.length * 2];
        int mask = table.length - 1;
        for (int index = 0; index < stackCount; index++) {
            int hash = 1;
            for (int i = starts[index], end = i + lengths[index]; i < end; i++) {
                hash = 31 * hash + frames[i];
            }
            hash ^= hash >>> 16;
            int slot = hash & mask;
            while (table[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            table[slot] = index + 1;
        }
    }

    /** Writes the merged lines, sorted by stack text, and flushes {@code out}. */
    public void writeTo(Writer out) throws IOException {
        StringBuilder line = new StringBuilder(256);
        for (int index : sortedStacks()) {
            line.setLength(0);
            for (int i = starts[index], end = i + lengths[index]; i < end; i++) {
                if (i > starts[index]) {
                    line.append(';');
                }
                line.append(names.get(frames[i]));
            }
            line.append(' ').append(totals[index]).append('\n');
            out.append(line);
        }
        out.flush();
    }

    /** Writes the merged lines as UTF-8, sorted by stack text, and flushes {@code out}. */
    public void writeTo(OutputStream out) throws IOException {
        byte[][] encoded = new byte[names.size()][];
        for (int id = 0; id < encoded.length; id++) {
            encoded[id] = names.get(id).getBytes(StandardCharsets.UTF_8);
        }
        byte[] buffer = new byte[1 << 16];
        int used = 0;
        byte[] digits = new byte[20];
        for (int index : sortedStacks()) {
            for (int i = starts[index], end = i + lengths[index]; i < end; i++) {
                byte[] name = encoded[frames[i]];
                if (used + name.length + 1 > buffer.length) {
                    out.write(buffer, 0, used);
                    used = 0;
                    if (name.length + 1 > buffer.length) {
                        buffer = new byte[name.length + 1];
                    }
                }
                if (i > starts[index]) {
                    buffer[used++] = ';';
                }
                System.arraycopy(name, 0, buffer, used, name.length);
                used += name.length;
            }
            if (used + 22 > buffer.length) {
                out.write(buffer, 0, used);
                used = 0;
            }
            buffer[used++] = ' ';
            long value = totals[index];
            int n = 0;
            do {
                digits[n++] = (byte) ('0' + Math.abs(value % 10)); // values are never negative; abs keeps Long.MIN_VALUE readable
                value /= 10;
            } while (value != 0);
            if (totals[index] < 0) {
                buffer[used++] = '-';
            }
            while (n > 0) {
                buffer[used++] = digits[--n];
            }
            buffer[used++] = '\n';
        }
        out.write(buffer, 0, used);
        out.flush();
    }

    /** Indexes of the stacks with a non-zero total, in the order of their text. */
    private int[] sortedStacks() {
        int[] order = new int[stackCount];
        int n = 0;
        for (int index = 0; index < stackCount; index++) {
            if (totals[index] != 0) {
                order[n++] = index;
            }
        }
        order = Arrays.copyOf(order, n);
        mergeSort(order, order.clone(), 0, n);
        return order;
    }

    /** Sorts {@code a[from, to)} by {@link #compareStacks}, stably; {@code scratch} holds the same values. */
    private void mergeSort(int[] a, int[] scratch, int from, int to) {
        if (to - from < 2) {
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(scratch, a, from, mid);
        mergeSort(scratch, a, mid, to);
        for (int i = from, left = from, right = mid; i < to; i++) {
            if (right >= to || (left < mid && compareStacks(scratch[left], scratch[right]) <= 0)) {
                a[i] = scratch[left++];
            } else {
                a[i] = scratch[right++];
            }
        }
    }

    /**
     * Compares two stacks as their joined texts would compare ({@link String#compareTo}), frame by
     * frame: equal frame ids are equal text; at the first differing frame the names decide, and
     * when one name is the start of the other, the character after it in its text does ({@code ;}
     * before the next frame, or the end of the text). Names never contain {@code ;}.
     */
    private int compareStacks(int a, int b) {
        int lengthA = lengths[a];
        int lengthB = lengths[b];
        int startA = starts[a];
        int startB = starts[b];
        for (int i = 0, common = Math.min(lengthA, lengthB); i < common; i++) {
            int frameA = frames[startA + i];
            int frameB = frames[startB + i];
            if (frameA == frameB) {
                continue;
            }
            String x = names.get(frameA);
            String y = names.get(frameB);
            int n = Math.min(x.length(), y.length());
            for (int k = 0; k < n; k++) {
                char cx = x.charAt(k);
                char cy = y.charAt(k);
                if (cx != cy) {
                    return cx - cy;
                }
            }
            int afterX = x.length() > n ? x.charAt(n) : (i + 1 < lengthA ? ';' : -1);
            int afterY = y.length() > n ? y.charAt(n) : (i + 1 < lengthB ? ';' : -1);
            return afterX - afterY;
        }
        return lengthA - lengthB; // one stack is the start of the other: its text is the start of the other's
    }

    /**
     * A frame name that keeps its line one stack: {@code ;} becomes {@code ,}, and every control character
     * (line breaks, tab, escape, DEL; a JVM's names hold none, a hostile pprof may) a space, so the output reads
     * back as collapsed stacks (a control character makes text look binary) and prints no terminal escapes.
     */
    private static String safe(String name) {
        if (name.indexOf(';') < 0 && name.chars().noneMatch(Character::isISOControl)) {
            return name;
        }
        StringBuilder safe = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            safe.append(c == ';' ? ',' : Character.isISOControl(c) ? ' ' : c);
        }
        return safe.toString();
    }
}
