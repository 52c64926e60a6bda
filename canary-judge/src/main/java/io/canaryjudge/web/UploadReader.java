package io.canaryjudge.web;

import io.canaryjudge.config.UploadProperties;
import io.canaryjudge.profile.MemoryBudget;
import io.canaryjudge.profile.source.local.UploadSource;
import io.canaryjudge.profile.source.local.UploadSource.UploadedFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads a multipart upload as it streams in, into memory and within bounds: a file larger than
 * {@code max-file-size}, an upload larger than {@code max-total-size} or with more than {@code max-files} files
 * stops the read at once with a 413 naming the part; nothing is written to disk.
 */
final class UploadReader {
    /** The form fields an upload may carry besides its files. */
    static final Set<String> FIELDS = Set.of("application", "profileTypes", "config", "deadline", "slice", "load");
    /** Form fields accepted in one request (each value is bounded by the codec's in-memory limit). */
    private static final int MAX_FIELDS = 64;

    private final UploadProperties limits;

    UploadReader(UploadProperties limits) {
        this.limits = limits;
    }

    /**
     * @param files  the files, in upload order
     * @param fields form field name → values, in upload order
     */
    record Upload(List<UploadedFile> files, Map<String, List<String>> fields) {
        /** The single value of a field, or null; a field given twice is an error naming it. */
        String field(String name) {
            List<String> values = fields.get(name);
            if (values == null || values.isEmpty()) {
                return null;
            }
            if (values.size() > 1) {
                throw new InvalidFieldException(name, "form field " + name + " was given " + values.size()
                        + " times; give it once");
            }
            return values.get(0);
        }
    }

    /**
     * Reads the upload and hands it to {@code use}; the memory its files hold is counted against {@link #MEMORY}
     * until what {@code use} returns is done (completed, failed or cancelled).
     */
    <T> Mono<T> read(Flux<PartEvent> events, Function<Upload, Mono<T>> use) {
        return Mono.usingWhen(Mono.fromSupplier(Collector::new),
                collector -> events.doOnNext(collector::accept).onErrorMap(collector::refusalOr)
                        .then(Mono.fromCallable(collector::finish)).flatMap(use),
                collector -> Mono.fromRunnable(collector::release));
    }

    /**
     * The heap the uploads being read and judged may hold at once, all requests together: a quarter of the maximum
     * heap. {@code max-total-size} bounds one upload, {@code max-concurrent} the uploads at once, but not their
     * product against the heap: four 120 MB uploads at once (within the defaults) ran a 512 MB service out of heap,
     * and with {@code -XX:+ExitOnOutOfMemoryError} (as shipped) ended every analysis in it. Beyond this an upload is
     * answered 429 with Retry-After, like one beyond the queue; an upload larger than the whole budget 413.
     */
    static final UploadMemory MEMORY = new UploadMemory(Runtime.getRuntime().maxMemory() / 4);

    /** Too many bytes of uploads are held now; try again once an analysis has finished. */
    static final class UploadMemoryFullException extends RuntimeException {
        UploadMemoryFullException(String message) {
            super(message);
        }
    }

    /** The budget of bytes shared by the uploads held at once, with what a refusal says. */
    static final class UploadMemory {
        private final MemoryBudget budget;

        UploadMemory(long total) {
            this.budget = new MemoryBudget(total);
        }

        /** @param held what the same upload holds already: beyond the whole budget together, it can never fit */
        void reserve(long bytes, long held, String part) {
            long total = budget.total();
            switch (budget.reserve(bytes, held)) {
                case RESERVED -> {
                }
                case NEVER_FITS -> throw new PayloadTooLargeException(part, "the upload needs more memory than this"
                        + " service keeps for uploads (" + (total >> 20) + " MB, a quarter of its heap); send fewer or"
                        + " smaller files, or give it a larger heap");
                case BUSY -> throw new UploadMemoryFullException("uploads being judged hold " + (budget.used() >> 20)
                        + " MB of the " + (total >> 20) + " MB this service keeps for uploads (a quarter of its heap);"
                        + " try again shortly");
            }
        }

        void release(long bytes) {
            budget.release(bytes);
        }

        long used() {
            return budget.used();
        }
    }

    /**
     * Gathers parts one event at a time; every event's buffer is released once copied. An upload refused while it
     * arrives (a file over the limit, too many files, an unknown part, no memory left for uploads) gives back what
     * it holds at once, and the rest of its body is read and dropped before the refusal is answered, as long as the
     * body stays within {@code max-total-size}: answered at once, the server closed the connection under a client
     * still sending, which then saw it reset ("Connection has been closed BEFORE response, while sending request
     * body") instead of the answer and its Retry-After.
     */
    private final class Collector {
        /** Why the upload is refused, once it is: the rest of the body is then dropped. */
        private RuntimeException refusal;
        /** Bytes of the body's parts received, dropped ones included. */
        private long received;
        /** Parts received, dropped ones included. */
        private int parts;
        private final List<UploadedFile> files = new ArrayList<>();
        private final Map<String, List<String>> fields = new LinkedHashMap<>();
        private int fieldCount;
        private long total;
        private String partName;
        private String fileName;
        /** The chunks of the file being read; null between files. */
        private List<byte[]> content;
        private long contentSize;
        /** What this upload holds of {@link #MEMORY}: its files, and twice the file being read (chunks, then one array). */
        private long reserved;

        void accept(PartEvent event) {
            try {
                received += event.content().readableByteCount();
                parts += event.isLast() ? 1 : 0;
                if (refusal == null) {
                    try {
                        gather(event);
                    } catch (RuntimeException e) {
                        refuse(e);
                    }
                }
                if (refusal != null && (received > limits.maxTotalSize().toBytes()
                        || parts > limits.maxFiles() + MAX_FIELDS)) {
                    throw refusal; // more than an upload may be: not worth reading to its end
                }
            } finally {
                DataBufferUtils.release(event.content());
            }
        }

        private void gather(PartEvent event) {
            if (event instanceof FormPartEvent form) {
                field(form);
            } else if (event instanceof FilePartEvent file) {
                file(file);
            } else {
                throw new InvalidFieldException(event.name(), "part " + event.name() + " is neither a form field"
                        + " nor a file");
            }
        }

        /** Refuses the upload: what it holds is given back now, not once its body has been read to the end. */
        private void refuse(RuntimeException e) {
            refusal = e;
            files.clear();
            fields.clear();
            content = null;
            release();
        }

        /** The refusal, when the upload was refused before its body failed (the client gave up sending it). */
        Throwable refusalOr(Throwable failure) {
            return refusal != null ? refusal : failure;
        }

        private void field(FormPartEvent form) {
            String name = form.name();
            if (UploadSource.GROUPS.contains(name)) {
                throw new InvalidFieldException(name, "part " + name + " must be a file (curl -F '" + name
                        + "=@slice.pb.gz;filename=POD/slice.pb.gz'), not a text field");
            }
            if (!FIELDS.contains(name)) {
                throw new InvalidFieldException(name, "unknown form field \"" + name + "\"; an upload takes files in "
                        + UploadSource.GROUPS + " and the fields " + FIELDS.stream().sorted().toList());
            }
            if (++fieldCount > MAX_FIELDS) {
                throw new PayloadTooLargeException(name, "more than " + MAX_FIELDS + " form fields");
            }
            fields.computeIfAbsent(name, k -> new ArrayList<>()).add(form.value());
        }

        private void file(FilePartEvent file) {
            if (content == null) {
                if (files.size() >= limits.maxFiles()) {
                    throw new PayloadTooLargeException(file.name(), "more than " + limits.maxFiles()
                            + " files in one upload (canary-judge.upload.max-files)");
                }
                partName = file.name();
                fileName = file.filename();
                content = new ArrayList<>();
                contentSize = 0;
            }
            DataBuffer buffer = file.content();
            int size = buffer.readableByteCount();
            if (contentSize + (long) size > limits.maxFileSize().toBytes()) {
                throw new PayloadTooLargeException(partName, partName + ": file \"" + fileName + "\" is larger than "
                        + size(limits.maxFileSize()) + " (canary-judge.upload.max-file-size)");
            }
            total += size;
            if (total > limits.maxTotalSize().toBytes()) {
                throw new PayloadTooLargeException(partName, "the upload is larger than "
                        + size(limits.maxTotalSize()) + " in all (canary-judge.upload.max-total-size)");
            }
            MEMORY.reserve(2L * size, reserved, partName);
            reserved += 2L * size;
            byte[] bytes = new byte[size];
            buffer.read(bytes);
            content.add(bytes);
            contentSize += size;
            if (file.isLast()) {
                byte[] whole = new byte[(int) contentSize];
                int at = 0;
                for (byte[] chunk : content) {
                    System.arraycopy(chunk, 0, whole, at, chunk.length);
                    at += chunk.length;
                }
                files.add(new UploadedFile(partName, fileName == null ? "" : fileName, whole));
                content = null;
                MEMORY.release(contentSize); // the chunks are garbage now; the file itself stays
                reserved -= contentSize;
            }
        }

        Upload finish() {
            if (refusal != null) {
                throw refusal;
            }
            return new Upload(List.copyOf(files), fields);
        }

        void release() {
            MEMORY.release(reserved);
            reserved = 0;
        }
    }

    /** A limit as set ({@code 64KB} → "64 KB"): whole megabytes alone said "larger than 0 MB" for a 64KB limit. */
    static String size(DataSize limit) {
        long bytes = limit.toBytes();
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MB";
        }
        return bytes % 1024 == 0 ? (bytes >> 10) + " KB" : bytes + " bytes";
    }
}
