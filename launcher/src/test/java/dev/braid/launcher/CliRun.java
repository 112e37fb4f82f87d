package dev.braid.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import dev.braid.launcher.cli.BraidCli;

/** One {@code ./braid <command>} run in-process, with what it printed on each stream and its exit code. */
record CliRun(int code, String out, String err) {

    static CliRun of(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BraidCli.run(args, env, new PrintWriter(out), new PrintWriter(err));
        return new CliRun(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
}
