package com.gitblit.plugin.goproxy.standalone;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Date;
import java.util.TimeZone;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

import com.gitblit.plugin.goproxy.service.ProxySettings;

/**
 * {@code demo}: creates demo repositories (a root module with tags, a module in a subdirectory, a v2; default
 * branch {@code main}, like the Gitblit demo), serves them, and prints the go commands to try. Its default port,
 * 8090, leaves 8080 to the Gitblit demo, so both can run at once.
 */
final class Demo {
    static final String PREFIX = "example.test";
    static final String DEFAULT_LISTEN = "127.0.0.1:8090";
    private static final String BRANCH = "main";

    private Demo() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Path dir = null;
        String listen = DEFAULT_LISTEN;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--dir") && i + 1 < args.length) {
                dir = Paths.get(args[++i]);
            } else if (args[i].equals("--listen") && i + 1 < args.length) {
                listen = args[++i];
            } else {
                err.println("usage: java -jar goproxy-standalone.jar demo [--dir DIR] [--listen HOST:PORT]");
                return 2;
            }
        }
        if (dir == null) {
            dir = Files.createTempDirectory("goproxy-demo");
        }
        Path repos = Files.createDirectories(dir.resolve("repos"));
        createRepositories(repos, dir.resolve("work"));
        StandaloneServer.Config config = Main.parse(new String[] {"--repos", repos.toString(), "--prefix", PREFIX,
            "--listen", listen, "--data", dir.resolve("data").toString()});
        config.settings(ProxySettings.builder().dataDirectory(dir.resolve("data").toFile()).build());
        StandaloneServer server = StandaloneServer.start(config);
        String proxy = "http://" + config.httpHost + ":" + server.httpPort() + "/go/";
        String env = "GOPROXY=" + proxy + " GONOSUMDB=" + PREFIX + " GOFLAGS=-mod=mod";
        out.println("Go module proxy demo: " + proxy + " serving " + repos);
        out.println("Try, in another terminal:");
        out.println();
        out.println("  mkdir -p /tmp/goproxy-try && cd /tmp/goproxy-try && go mod init example.com/try");
        out.println("  " + env + " go list -m -versions " + PREFIX + "/hello");
        out.println("  " + env + " go get " + PREFIX + "/hello@v1.1.0");
        out.println("  " + env + " go get " + PREFIX + "/hello/sub@v0.1.0");
        out.println("  " + env + " go get " + PREFIX + "/hello/v2@v2.0.0");
        out.println("  curl " + proxy + PREFIX + "/hello/@v/list");
        out.println();
        out.println("Ctrl-C stops the server.");
        out.flush();
        server.join();
        return -1;
    }

    static void createRepositories(Path repos, Path work) throws IOException, GitAPIException {
        Path src = work.resolve("hello");
        if (Files.exists(repos.resolve("hello.git"))) {
            return;
        }
        Files.createDirectories(src);
        try (Git git = Git.init().setDirectory(src.toFile()).call()) {
            // JGit 4.5 has no initial-branch option: point HEAD at main before the first commit.
            git.getRepository().updateRef(Constants.HEAD).link(Constants.R_HEADS + BRANCH);
            long t = 1704067200L;
            write(src, "go.mod", "module " + PREFIX + "/hello\n\ngo 1.19\n");
            write(src, "hello.go", "package hello\n\n// Hello greets.\nfunc Hello() string { return \"hello from " + PREFIX + "/hello\" }\n");
            write(src, "LICENSE", "Demo license: do what you like.\n");
            tag(git, commit(git, "v1.0.0", t += 3600), "v1.0.0");
            write(src, "hello.go", "package hello\n\n// Hello greets.\nfunc Hello() string { return \"hello again from " + PREFIX + "/hello\" }\n");
            write(src, "sub/go.mod", "module " + PREFIX + "/hello/sub\n\ngo 1.19\n");
            write(src, "sub/sub.go", "package sub\n\n// Name is the submodule's name.\nconst Name = \"sub\"\n");
            RevCommit c = commit(git, "v1.1.0 and sub/v0.1.0", t += 3600);
            tag(git, c, "v1.1.0");
            tag(git, c, "sub/v0.1.0");
            write(src, "go.mod", "module " + PREFIX + "/hello/v2\n\ngo 1.19\n");
            tag(git, commit(git, "v2.0.0", t += 3600), "v2.0.0");
        }
        try (Git bare = Git.cloneRepository().setBare(true).setURI(src.toUri().toString())
                .setDirectory(repos.resolve("hello.git").toFile()).call()) {
            bare.getRepository().getConfig().save();
        }
    }

    private static void write(Path root, String path, String content) throws IOException {
        Path f = root.resolve(path);
        Files.createDirectories(f.getParent());
        Files.write(f, content.getBytes(StandardCharsets.UTF_8));
    }

    private static RevCommit commit(Git git, String message, long epochSeconds) throws GitAPIException {
        git.add().addFilepattern(".").call();
        PersonIdent who = new PersonIdent("Demo", "demo@example.test", new Date(epochSeconds * 1000),
                TimeZone.getTimeZone("UTC"));
        return git.commit().setMessage(message).setAuthor(who).setCommitter(who).call();
    }

    private static void tag(Git git, RevCommit c, String name) throws GitAPIException {
        git.tag().setName(name).setObjectId(c).setAnnotated(false).call();
    }

}
