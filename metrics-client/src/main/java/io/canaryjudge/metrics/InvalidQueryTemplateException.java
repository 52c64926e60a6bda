package io.canaryjudge.metrics;

/**
 * A query template that cannot be used; the message names the template, the problem and where
 * (1-based character position), e.g. {@code query template "error_ratio": unknown placeholder
 * {{service}} at character 40 (known: selector, range, application, namespace, instance_label)}.
 */
public class InvalidQueryTemplateException extends IllegalArgumentException {
    private final String templateName;

    public InvalidQueryTemplateException(String templateName, String problem) {
        super("query template \"" + templateName + "\": " + problem);
        this.templateName = templateName;
    }

    public String templateName() {
        return templateName;
    }
}
