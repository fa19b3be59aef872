package org.pvsim.se;

/** Bytes that do not follow the SE image or header format; the message names the field and the value. */
public class SeFormatException extends RuntimeException {
    public SeFormatException(String message) {
        super(message);
    }

    public SeFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
