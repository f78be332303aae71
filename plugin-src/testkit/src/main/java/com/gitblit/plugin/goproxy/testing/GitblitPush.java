package com.gitblit.plugin.goproxy.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Git over HTTP(S) to one Gitblit with the git CLI, trusting its test CA. Each push takes about 2.5 s: Gitblit
 * 1.9.3 writes its reflog right after the pack, and JGit 4.5 keeps rescanning the just-written pack meanwhile
 * (seen in thread dumps; its racy-file window). Pushes to different repositories may run in parallel. Where a
 * test only needs content in Gitblit, {@link LocalRepo#pushTo} into the repository's folder is faster.
 */
public final class GitblitPush {
    private final GitblitHttp http;
    private final Path caPem;

    GitblitPush(GitblitHttp http, Path caPem) {
        this.http = http;
        this.caPem = caPem;
    }

    /** The clone URL of {@code repository} ({@code team/lib.git}) over HTTPS, without credentials. */
    public String cloneUrl(String repository) {
        return http.httpsUrl() + "/r/" + repository;
    }

    /**
     * Pushes every branch and tag of the local repository {@code localRepo} to {@code repository} over {@code base}
     * with the given credentials (a missing repository is created by Gitblit when the user may create it).
     */
    public void push(URI base, Path localRepo, String repository, String user, String password) {
        String url = base.getScheme() + "://" + enc(user) + ":" + enc(password) + "@" + base.getAuthority() + "/r/"
                + repository;
        git().run(localRepo, "push", "--porcelain", url, "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*");
    }

    /** The git CLI configured to trust this instance's HTTPS certificate. */
    public GitCli git() {
        return GitCli.isolated().withEnv(Map.of("GIT_SSL_CAINFO", caPem.toString()));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
