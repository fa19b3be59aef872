package org.pvsim.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line arguments the JVM could not decode. Java turns argv's bytes into Strings with the locale's
 * file-name encoding ({@code sun.jnu.encoding}) and replaces what does not decode (a name like
 * {@code $'\xff.img'} under UTF-8, any non-ASCII name under LC_ALL=C); such a String names another file, or
 * none, and no Java API opens a file by raw bytes. So pvsim refuses the command line with one line naming the
 * argument, rather than reading or writing the wrong file. On Linux the raw bytes are in /proc/self/cmdline;
 * elsewhere a replacement character in an argument is the sign.
 */
final class ArgumentEncoding {
    private ArgumentEncoding() {
    }

    /** The problem with the process's arguments, or null; cheap when every argument is ASCII. */
    static String problem(String[] args) {
        boolean suspect = false;
        for (String a : args) {
            suspect |= a.chars().anyMatch(c -> c >= 0x80);
        }
        if (!suspect) {
            return null;
        }
        return problem(args, processArguments(), fileNameEncoding());
    }

    private static Charset fileNameEncoding() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding"));
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    /**
     * {@code raw}: the process's argv as bytes (its last {@code args.length} entries are the arguments), or
     * null when unknown; {@code cs}: the encoding the JVM decoded them with.
     */
    static String problem(String[] args, List<byte[]> raw, Charset cs) {
        if (raw != null && raw.size() >= args.length) {
            List<byte[]> tail = raw.subList(raw.size() - args.length, raw.size());
            for (byte[] bytes : tail) {
                if (!decodes(bytes, cs)) {
                    return message(shellQuoted(bytes), cs);
                }
            }
            return null;
        }
        for (String a : args) {
            if (a.indexOf('\uFFFD') >= 0) {
                return message("'" + a + "'", cs);
            }
        }
        return null;
    }

    private static String message(String arg, Charset cs) {
        if (cs.name().equals("UTF-8")) {
            return "argument " + arg + " is not valid UTF-8, and Java names files in UTF-8 here: give the file"
                    + " a UTF-8 name (or a link with one)";
        }
        return "argument " + arg + " cannot be decoded as " + cs.name() + ", the locale's encoding of file names:"
                + " run pvsim under a UTF-8 locale (LC_ALL=C.UTF-8), as the ./pvsim launcher does";
    }

    private static boolean decodes(byte[] bytes, Charset cs) {
        try {
            cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** As bash's $'...' would give it: printable ASCII as it is, any other byte as \xHH. */
    static String shellQuoted(byte[] bytes) {
        StringBuilder sb = new StringBuilder("$'");
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c == '\'' || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.append('\'').toString();
    }

    private static List<byte[]> processArguments() {
        byte[] all;
        try {
            all = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        List<byte[]> list = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == 0) {
                list.add(java.util.Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        if (start < all.length) {
            list.add(java.util.Arrays.copyOfRange(all, start, all.length));
        }
        return list;
    }
}
