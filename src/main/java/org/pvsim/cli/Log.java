package org.pvsim.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** A command's stderr lines at pvimg's levels: warnings and success lines unless -q, details with -v. */
final class Log {
    static final int WARN = 2;
    static final int INFO = 3;

    private final PrintWriter err;
    private final int level;

    Log(PrintWriter err, int level) {
        this.err = err;
        this.level = level;
    }

    static Log of(CommandSpec spec) {
        Object root = spec.root().userObject();
        int level = root instanceof Main m ? m.verbosity() : WARN;
        return new Log(spec.commandLine().getErr(), level);
    }

    void warn(String line) {
        print(WARN, line);
    }

    void info(String line) {
        print(INFO, line);
    }

    private void print(int at, String line) {
        if (level >= at) {
            err.println(line);
            err.flush();
        }
    }
}
