package io.canaryjudge.web;

import io.canaryjudge.config.UploadProperties;
import io.canaryjudge.profile.source.local.UploadSource;
import io.canaryjudge.profile.source.local.UploadSource.UploadedFile;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads a multipart upload as it streams in, into memory and within bounds: a file larger than
 * {@code max-file-size}, an upload larger than {@code max-total-size} or with more than {@code max-files} files
 * stops the read at once with a 413 naming the part; nothing is written to disk.
 */
final class UploadReader {
    /** The form fields an upload may carry besides its files. */
    static final Set<String> FIELDS = Set.of("application", "profileTypes", "config", "deadline");
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

    Mono<Upload> read(Flux<PartEvent> events) {
        return Mono.defer(() -> {
            Collector collector = new Collector();
            return events.doOnNext(collector::accept).then(Mono.fromCallable(collector::finish));
        });
    }

    /** Gathers parts one event at a time; every event's buffer is released once copied. */
    private final class Collector {
        private final List<UploadedFile> files = new ArrayList<>();
        private final Map<String, List<String>> fields = new LinkedHashMap<>();
        private int fieldCount;
        private long total;
        private String partName;
        private String fileName;
        private ByteArrayOutputStream content;

        void accept(PartEvent event) {
            try {
                if (event instanceof FormPartEvent form) {
                    field(form);
                } else if (event instanceof FilePartEvent file) {
                    file(file);
                } else {
                    throw new InvalidFieldException(event.name(), "part " + event.name() + " is neither a form field"
                            + " nor a file");
                }
            } finally {
                DataBufferUtils.release(event.content());
            }
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
                content = new ByteArrayOutputStream();
            }
            DataBuffer buffer = file.content();
            int size = buffer.readableByteCount();
            if (content.size() + (long) size > limits.maxFileSize().toBytes()) {
                throw new PayloadTooLargeException(partName, partName + ": file \"" + fileName + "\" is larger than "
                        + limits.maxFileSize().toMegabytes() + " MB (canary-judge.upload.max-file-size)");
            }
            total += size;
            if (total > limits.maxTotalSize().toBytes()) {
                throw new PayloadTooLargeException(partName, "the upload is larger than "
                        + limits.maxTotalSize().toMegabytes() + " MB in all (canary-judge.upload.max-total-size)");
            }
            byte[] bytes = new byte[size];
            buffer.read(bytes);
            content.writeBytes(bytes);
            if (file.isLast()) {
                files.add(new UploadedFile(partName, fileName == null ? "" : fileName, content.toByteArray()));
                content = null;
            }
        }

        Upload finish() {
            return new Upload(List.copyOf(files), fields);
        }
    }
}
