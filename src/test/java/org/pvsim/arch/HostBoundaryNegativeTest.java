package org.pvsim.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pvsim.machine.SimulatedMachine;

/**
 * The host boundary probed as a careless (or hostile) addition to the host kernel would probe it: a class in
 * {@code org.pvsim.kvm}, compiled against the real main classes, tries each of the three leaks of issue 8.
 * Every attempt must either not compile, or compile into a class that the layer rules reject. One test per
 * leak, so that a failure names the leak that reopened; a control shows the harness compiles legal host code.
 */
class HostBoundaryNegativeTest {
    /** The line of {@link #TEMPLATE} that holds the attempt. */
    private static final int ATTEMPT_LINE = 6;
    private static final String TEMPLATE = """
            package org.pvsim.kvm;
            import org.pvsim.machine.SimulatedMachine;
            import org.pvsim.machine.uv.cb.UvCaller;
            final class Leak {
                static Object leak(SimulatedMachine machine) {
                    %s
                    return null;
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void legalHostCodeCompilesAndPassesTheRules() throws Exception {
        for (String legal : List.of("machine.hostStorage().read(0x10000, 8);",
                "new UvCaller(machine.hostStorage(), machine.uvc(), 0x10000).call(org.pvsim.machine.uv.cb.QueryUvInfo.request());")) {
            JavaClasses compiled = compiles(legal);
            for (ArchRule rule : LayerRulesTest.hostRules()) {
                assertThat(rule.evaluate(compiled).hasViolation()).as("%s under %s", legal, rule.getDescription())
                        .isFalse();
            }
        }
    }

    /** Leak 1: reading or writing the machine's storage as a secure guest's access domain. */
    @Test
    void noGuestDomainAccessToTheMachinesStorage() throws Exception {
        refusedByTheCompiler("machine.hostStorage().read(0x10000, 8, 1);"); // the host view has no domain
        refusedByTheCompiler("machine.hostStorage().writeLong(0x10000, 0L, 1);");
        refusedByTheCompiler("machine.storage().read(0x10000, 8, 1);"); // the machine keeps its Storage
        rejectedByTheRules("new org.pvsim.machine.storage.Storage(1 << 20).read(0, 8, 1);",
                LayerRulesTest.HOST_NEVER_HOLDS_FIRMWARE_STORAGE);
        rejectedByTheRules("new org.pvsim.machine.cpu.Machine(new org.pvsim.machine.cpu.Machine.Options(1 << 20, 1, "
                        + "true, false), s -> { }).storage().read(0, 8, 1);",
                LayerRulesTest.HOST_DOES_NOT_REACH_CPUS_OR_SIE, LayerRulesTest.HOST_NEVER_HOLDS_FIRMWARE_STORAGE);
    }

    /** Leak 2: changing a frame's owner tag, which only the Ultravisor may do. */
    @Test
    void noFrameTagChanges() throws Exception {
        refusedByTheCompiler("machine.hostStorage().setTag(16, 5);");
        refusedByTheCompiler("machine.storage().setTag(16, 5);");
        rejectedByTheRules("new org.pvsim.machine.storage.Storage(1 << 20).setTag(16, 5);",
                LayerRulesTest.HOST_NEVER_HOLDS_FIRMWARE_STORAGE);
    }

    /** Leak 3: a UV caller (or a bare UVC) in a secure guest's access domain. */
    @Test
    void noGuestDomainUvCaller() throws Exception {
        refusedByTheCompiler("new UvCaller(machine.hostStorage(), machine.uvc(), 0x10000, 1);");
        refusedByTheCompiler("machine.uvc().call(0x10000, 1);");
        rejectedByTheRules("((org.pvsim.machine.uv.Ultravisor) machine.uvc()).call(0x10000, 1);",
                LayerRulesTest.HOST_SEES_ONLY_THE_UV_CALL_INTERFACE);
    }

    private void refusedByTheCompiler(String attempt) throws IOException, URISyntaxException {
        Compilation c = compile(attempt);
        assertThat(c.errors()).as("compiling %s", attempt).isNotEmpty();
        assertThat(c.errors()).as("every error is the attempt's own, not the template's")
                .allSatisfy(d -> assertThat(d.getLineNumber()).as(d.getMessage(Locale.ROOT)).isEqualTo(ATTEMPT_LINE));
    }

    private void rejectedByTheRules(String attempt, ArchRule... rules) throws IOException, URISyntaxException {
        JavaClasses compiled = compiles(attempt);
        for (ArchRule rule : rules) {
            EvaluationResult r = rule.evaluate(compiled);
            assertThat(r.hasViolation()).as("%s under %s", attempt, rule.getDescription()).isTrue();
            assertThat(r.getFailureReport().getDetails()).anySatisfy(v -> assertThat(v).contains("org.pvsim.kvm.Leak"));
        }
    }

    private JavaClasses compiles(String attempt) throws IOException, URISyntaxException {
        Compilation c = compile(attempt);
        assertThat(c.errors()).as("compiling %s", attempt).isEmpty();
        return new ClassFileImporter().importPath(c.classes());
    }

    private record Compilation(List<Diagnostic<? extends JavaFileObject>> errors, Path classes) {
    }

    /** Compiles the attempt in a fresh directory against the main classes (the same ones the rules import). */
    private Compilation compile(String attempt) throws IOException, URISyntaxException {
        Path work = Files.createTempDirectory(dir, "leak");
        Path src = work.resolve("src/org/pvsim/kvm/Leak.java");
        Path out = Files.createDirectories(work.resolve("classes"));
        Files.createDirectories(src.getParent());
        Files.writeString(src, TEMPLATE.formatted(attempt));
        Path mainClasses = Path.of(SimulatedMachine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            javac.getTask(null, files, diagnostics,
                    List.of("-proc:none", "-implicit:none", "-classpath", mainClasses.toString(), "-d", out.toString()),
                    null, files.getJavaFileObjects(src)).call();
        }
        return new Compilation(diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList(), out);
    }
}
