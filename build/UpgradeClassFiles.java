import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Build step (mvn package, for target/lib): rewrites the class files of a jar that are older than Java 6
 * (major version below 50) as Java 8 class files with stack map frames, same code otherwise. Why: JDK 17's class
 * data sharing never archives such old classes, nor any class that implements one of their interfaces, so
 * picocli (built for Java 5) and pvsim's command classes would be loaded, parsed and verified by the old
 * inference verifier on every start of ./pvsim. Usage: java -cp asm.jar build/UpgradeClassFiles.java JAR
 * (the jar is replaced in place; running it again changes nothing).
 */
public final class UpgradeClassFiles {
    private static final int OLDEST_ARCHIVABLE = 50;

    private UpgradeClassFiles() {
    }

    public static void main(String[] args) throws IOException {
        for (String a : args) {
            upgrade(Path.of(a));
        }
    }

    private static void upgrade(Path jar) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        int upgraded = 0;
        try (JarFile in = new JarFile(jar.toFile());
                URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
                OutputStream file = Files.newOutputStream(tmp);
                JarOutputStream out = new JarOutputStream(file)) {
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements();) {
                JarEntry entry = e.nextElement();
                byte[] bytes;
                try (InputStream s = in.getInputStream(entry)) {
                    bytes = s.readAllBytes();
                }
                if (entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/")
                        && major(bytes) < OLDEST_ARCHIVABLE) {
                    bytes = rewrite(bytes, loader);
                    upgraded++;
                }
                JarEntry copy = new JarEntry(entry.getName());
                copy.setTime(entry.getTime()); // the same bytes for the same input
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        if (upgraded == 0) {
            Files.delete(tmp);
            return;
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("upgraded " + upgraded + " class files of " + jar.getFileName() + " to Java 8");
    }

    private static int major(byte[] b) {
        return ((b[6] & 0xff) << 8) | (b[7] & 0xff);
    }

    private static byte[] rewrite(byte[] bytes, ClassLoader loader) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            // Frames need the common superclass of two types: look the jar's own classes up in the jar.
            @Override
            protected ClassLoader getClassLoader() {
                return loader;
            }
        };
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                    String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
            }
        }, 0);
        return writer.toByteArray();
    }
}
