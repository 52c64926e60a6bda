package io.canaryjudge.web;

/**
 * A request field that cannot be used; answered 400 with a problem body naming the field.
 * The field is a path into the request, e.g. {@code baseline.labels.rollouts-pod-template-hash},
 * {@code profileTypes[1]}, or {@code body} for the whole document.
 */
public class InvalidFieldException extends RuntimeException {
    private final String field;

    public InvalidFieldException(String field, String detail) {
        super(detail);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
