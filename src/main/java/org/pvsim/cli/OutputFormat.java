package org.pvsim.cli;

import java.util.Locale;
import picocli.CommandLine;

/**
 * pvimg's {@code --format KIND[:VARIANT]}: {@code json}, {@code json:pretty}, {@code json:minify} (and
 * {@code json:default}, pretty), plus pvsim's {@code text:full} (and {@code text}).
 */
record OutputFormat(Kind kind, boolean minify) {
    enum Kind {
        JSON, TEXT
    }

    static final OutputFormat JSON_PRETTY = new OutputFormat(Kind.JSON, false);
    static final OutputFormat TEXT_FULL = new OutputFormat(Kind.TEXT, false);

    static OutputFormat parse(String s) {
        String[] parts = s.toLowerCase(Locale.ROOT).split(":", 2);
        String variant = parts.length > 1 ? parts[1] : "default";
        switch (parts[0]) {
            case "json":
                switch (variant) {
                    case "default", "pretty":
                        return JSON_PRETTY;
                    case "minify":
                        return new OutputFormat(Kind.JSON, true);
                    default:
                        break;
                }
                break;
            case "text":
                if (variant.equals("default") || variant.equals("full")) {
                    return TEXT_FULL;
                }
                break;
            default:
                break;
        }
        throw new CommandLine.TypeConversionException("'" + s + "' is not an output format"
                + " (possible values: json, json:pretty, json:minify, text:full)");
    }

    /** For picocli's {@code converter}. */
    static final class Converter implements CommandLine.ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            return parse(value);
        }
    }
}
