package com.gitblit.plugin.goproxy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * The parity fixtures of {@code test-fixtures/repos/build.sh}: bare repositories under
 * {@code <folder>/github.com/acme/<name>.git}, and the git configuration that lets {@code go} in direct mode
 * fetch {@code github.com/acme/<name>} from them offline (cmd/go skips go-get discovery for github.com and runs
 * git on {@code https://github.com/acme/<name>}, which the config rewrites to the local file).
 */
public final class FixtureRepos {
    private final Path folder;

    private FixtureRepos(Path folder) {
        this.folder = folder;
    }

    public static FixtureRepos build(Path folder) throws IOException, InterruptedException {
        Path script = Paths.get("test-fixtures", "repos", "build.sh").toAbsolutePath();
        Process p = new ProcessBuilder("bash", script.toString(), folder.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("building the fixture repositories failed (is git installed?):\n" + log);
        }
        return new FixtureRepos(folder);
    }

    public Path folder() {
        return folder;
    }

    /** Git config for direct mode: every fixture repository's https URL read from its bare directory. */
    public String directModeGitConfig() throws IOException {
        StringBuilder sb = new StringBuilder("[protocol \"file\"]\n\tallow = always\n");
        try (DirectoryStream<Path> repos = Files.newDirectoryStream(folder.resolve("github.com/acme"), "*.git")) {
            for (Path repo : repos) {
                String name = repo.getFileName().toString().replaceFirst("\\.git$", "");
                sb.append("[url \"").append(repo.toUri().toString().replaceFirst("/$", "")).append("\"]\n")
                        .append("\tinsteadOf = https://github.com/acme/").append(name).append('\n');
            }
        }
        return sb.toString();
    }
}
