package com.gitblit.plugin.goproxy.standalone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/** Test support: a bare repository holding one module with a v1.0.0 tag. */
public final class StandaloneServerTestSupport {
    private StandaloneServerTestSupport() {
    }

    public static void moduleRepository(Path bare, String modulePath, Path work) throws Exception {
        Files.createDirectories(work);
        try (Git git = Git.init().setDirectory(work.toFile()).call()) {
            Files.writeString(work.resolve("go.mod"), "module " + modulePath + "\n\ngo 1.19\n");
            Files.writeString(work.resolve("lib.go"), "package lib\n");
            git.add().addFilepattern(".").call();
            PersonIdent who = new PersonIdent("T", "t@example.com", Date.from(Instant.parse("2024-01-01T00:00:00Z")),
                    TimeZone.getTimeZone("UTC"));
            RevCommit c = git.commit().setMessage("c").setAuthor(who).setCommitter(who).call();
            git.tag().setName("v1.0.0").setObjectId(c).setAnnotated(false).call();
        }
        Git.cloneRepository().setBare(true).setURI(work.toUri().toString()).setDirectory(bare.toFile()).call().close();
    }
}
