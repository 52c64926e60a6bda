package io.canaryjudge.web;

/** A request (or one of its parts) larger than the service accepts; answered 413 naming the part and the limit. */
public class PayloadTooLargeException extends RuntimeException {
    private final String field;

    public PayloadTooLargeException(String field, String detail) {
        super(detail);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
