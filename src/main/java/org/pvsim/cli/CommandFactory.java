package org.pvsim.cli;

import java.util.function.Supplier;
import org.pvsim.image.BootLoaderBlobs;
import picocli.CommandLine;

/**
 * Builds the command objects with their collaborators: pvsim's own for the real command line, a test's
 * own (small fake boot loaders, say) when a test runs the commands.
 */
record CommandFactory(Supplier<BootLoaderBlobs> bootLoaders) implements CommandLine.IFactory {
    /** The collaborators of the real command line. */
    static CommandFactory standard() {
        return new CommandFactory(BootLoaderBlobs::standard);
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        if (type == ImageCommand.Create.class) {
            return type.cast(new ImageCommand.Create(bootLoaders));
        }
        return CommandLine.defaultFactory().create(type);
    }
}
