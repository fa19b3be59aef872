package org.pvsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command tree is built in full only along the path a command line names; the other commands are listed,
 * so that usage help and suggestions print as from the whole tree.
 */
class CommandTreeTest {
    @Test
    void wordsStopWhereTheyCouldStandForMore() {
        assertThat(CommandTree.words(new String[] {"-v", "image", "create", "-i", "k"})).containsExactly("image",
                "create", "k");
        assertThat(CommandTree.words(new String[] {"--", "image"})).isEmpty();
        assertThat(CommandTree.words(new String[] {"image", "@args", "create"})).containsExactly("image");
    }

    @Test
    void onlyTheNamedPathIsBuilt() {
        CommandLine root = CommandTree.build(new Main(), CommandFactory.standard(), List.of("image", "create"));
        CommandLine image = root.getSubcommands().get("image");
        assertThat((Object) image.getCommand()).isInstanceOf(ImageCommand.class);
        assertThat((Object) image.getSubcommands().get("create").getCommand()).isInstanceOf(ImageCommand.Create.class);
        assertThat(built(image.getSubcommands().get("verify"))).isFalse();
        assertThat(built(root.getSubcommands().get("secret"))).isFalse();
        assertThat(root.getSubcommands().keySet()).containsExactlyElementsOf(
                CommandTree.build(new Main(), CommandFactory.standard(), List.of()).getSubcommands().keySet());
    }

    @Test
    void helpAndUnknownWordsBuildEverything() {
        for (List<String> words : List.<List<String>>of(List.of("help", "image"), List.of("imag"), List.of())) {
            CommandLine root = CommandTree.build(new Main(), CommandFactory.standard(), words);
            assertThat(built(root.getSubcommands().get("secret"))).as("%s", words).isTrue();
            assertThat(built(root.getSubcommands().get("image").getSubcommands().get("verify"))).isTrue();
        }
    }

    @Test
    void aGroupReachedWithNoWordLeftOnlyListsItsCommands() {
        CommandLine root = CommandTree.build(new Main(), CommandFactory.standard(), new String[] {"--help"});
        assertThat(root.getSubcommands().values()).noneMatch(CommandTreeTest::built);
        CommandLine image = CommandTree.build(new Main(), CommandFactory.standard(), new String[] {"image", "-v"})
                .getSubcommands().get("image");
        assertThat(built(image)).isTrue();
        assertThat(image.getSubcommands().values()).noneMatch(CommandTreeTest::built);
        for (String[] args : List.of(new String[] {"@args"}, new String[] {"image", "--", "create"})) {
            root = CommandTree.build(new Main(), CommandFactory.standard(), args); // more words may follow
            assertThat(built(root.getSubcommands().get("image").getSubcommands().get("create"))).isTrue();
        }
    }

    @Test
    void aGroupsUsageListsEveryCommandWhicheverWasNamed() {
        StringWriter full = new StringWriter();
        PrintWriter w = new PrintWriter(full, true);
        Main.commandLine(w, w, false, CommandFactory.standard()).usage(w);
        assertThat(rootUsage("--help")).isEqualTo(full.toString());
        assertThat(rootUsage("--help", "image", "create")).isEqualTo(rootUsage("--help"));
        assertThat(rootUsage("-v", "-q", "image", "create", "-i", "k", "-o", "o", "-k", "h")).contains("-v/--verbose and -q/--quiet cannot be used together",
                "secret", "attest");
        assertThat(rootUsage("image", "--help", "create")).isEqualTo(rootUsage("image", "--help"));
    }

    /** picocli would otherwise list every method of each command class, looking for @Command methods (none here). */
    @Test
    void noCommandLooksForMethodSubcommands() {
        List<CommandLine> all = CommandTree.all(CommandTree.build(new Main(), CommandFactory.standard(), List.of()));
        assertThat(all).hasSizeGreaterThan(20);
        for (CommandLine c : all) {
            if (!(c.getCommand() instanceof CommandLine.HelpCommand)) {
                assertThat(c.getCommandSpec().isAddMethodSubcommands()).as(c.getCommandSpec().qualifiedName()).isFalse();
            }
        }
    }

    private static boolean built(CommandLine c) {
        return c.getCommandSpec().userObject() != null;
    }

    private static String rootUsage(String... args) {
        StringWriter s = new StringWriter();
        PrintWriter w = new PrintWriter(s, true);
        Main.run(args, w, w);
        return s.toString();
    }
}
