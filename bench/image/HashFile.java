import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The whole-process floor of a JVM for image create and verify: start, read one file, feed all of it to the
 * JDK's SHA-512 in 256 KiB pieces (as the image code does), print the digest and exit. No command line parsing, no
 * encryption, no output file, no warm-up: what any Java tool that hashes every page of a kernel pays at least.
 * bench/image/run compiles it with javac and runs it as its own JVM. Usage: java HashFile FILE
 */
public final class HashFile {
    private HashFile() {
    }

    public static void main(String[] args) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-512");
        ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
        try (FileChannel in = FileChannel.open(Path.of(args[0]))) {
            while (in.read(buf) >= 0) {
                md.update(buf.flip());
                buf.clear();
            }
        }
        System.out.println(HexFormat.of().formatHex(md.digest()));
    }
}
