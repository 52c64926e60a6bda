package io.canaryjudge.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the judge's thresholds and rules come from ({@code canary-judge.judge-config.*}): a file in the
 * format of {@code compare --config} (see {@code examples/judge-config.yaml}), or the same document inline.
 * Its {@code services.NAME} sections are the named configs a request selects with {@code "config": "NAME"}
 * (an application's own name selects its section by default). Neither set = the documented defaults.
 *
 * @param file   a YAML or JSON judge configuration file
 * @param inline the same document as text (for a ConfigMap or an environment variable)
 */
@ConfigurationProperties("canary-judge.judge-config")
public record JudgeConfigProperties(Path file, String inline) {

    static final String FILE = "canary-judge.judge-config.file";
    static final String INLINE = "canary-judge.judge-config.inline";

    public JudgeConfigProperties {
        if (file != null && inline != null && !inline.isBlank()) {
            throw new IllegalArgumentException(FILE + " and " + INLINE + " are both set; use one");
        }
        // Read once now so that a bad document stops start-up with a message naming the key.
        load(file, inline);
    }

    /** Reads the configured document: the file, the inline text, or the defaults. */
    public JudgeConfigFile load() {
        return load(file, inline);
    }

    private static JudgeConfigFile load(Path file, String inline) {
        try {
            if (file != null) {
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException(FILE + ": " + file.toAbsolutePath() + " is not a file");
                }
                return JudgeConfigFile.read(file);
            }
            if (inline != null && !inline.isBlank()) {
                return JudgeConfigFile.parse(inline, INLINE);
            }
            return JudgeConfigFile.empty();
        } catch (InvalidConfigException e) {
            throw new IllegalArgumentException((file != null ? FILE + ": " : "") + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(FILE + ": " + file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
