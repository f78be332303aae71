package com.gitblit.plugin.goproxy.standalone;

/**
 * Placeholder entry point of {@code goproxy-standalone.jar} so the build can package and test the jar;
 * the standalone host replaces it. Prints usage and exits 0 for {@code --help}, 2 otherwise.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("usage: java -jar goproxy-standalone.jar [options] (the standalone server is not built yet)");
        boolean help = args.length == 1 && ("--help".equals(args[0]) || "-h".equals(args[0]));
        if (!help) {
            System.exit(2);
        }
    }
}
