import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Build step (mvn package, for target/lib): rewrites a signed jar as an unsigned one, same classes and resources.
 * Why: the JVM checks a signed jar's signature when it loads the jar's first class, and a class data sharing
 * archive (the ./pvsim launcher's) cannot hold classes of signed jars. The signature files go, and so do the
 * manifest's per-entry sections, which hold only the digests the signature covers: for Bouncy Castle's bcprov that is
 * 5,696 sections (769 KB), which the JVM parsed whole when it defined the jar's first package (37 ms of image
 * create's start-up). The main section (Multi-Release among its attributes) stays. Usage: java
 * build/UnsignJars.java JAR... (each jar is replaced in place; running it again changes nothing).
 */
public final class UnsignJars {
    private UnsignJars() {
    }

    public static void main(String[] args) throws IOException {
        for (String a : args) {
            unsign(Path.of(a));
        }
    }

    private static void unsign(Path jar) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        int dropped = 0;
        try (JarFile in = new JarFile(jar.toFile(), false)) {
            Manifest manifest = in.getManifest() == null ? new Manifest() : in.getManifest();
            dropped += manifest.getEntries().size();
            manifest.getEntries().clear();
            try (OutputStream file = Files.newOutputStream(tmp); JarOutputStream out = new JarOutputStream(file, manifest)) {
                for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements();) {
                    JarEntry entry = e.nextElement();
                    if (entry.getName().equals(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    if (isSignatureFile(entry.getName())) {
                        dropped++;
                        continue;
                    }
                    JarEntry copy = new JarEntry(entry.getName());
                    copy.setTime(entry.getTime()); // the same bytes for the same input
                    out.putNextEntry(copy);
                    try (InputStream s = in.getInputStream(entry)) {
                        s.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        if (dropped == 0) {
            Files.delete(tmp);
            return;
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("unsigned " + jar.getFileName() + " (" + dropped + " signature files and digest sections)");
    }

    /** The signature files of JAR signing: META-INF/NAME.SF and its block (.RSA, .DSA, .EC), not in a subfolder. */
    private static boolean isSignatureFile(String name) {
        String rest = name.startsWith("META-INF/") ? name.substring("META-INF/".length()) : null;
        return rest != null && !rest.contains("/")
                && (rest.endsWith(".SF") || rest.endsWith(".RSA") || rest.endsWith(".DSA") || rest.endsWith(".EC"));
    }
}
