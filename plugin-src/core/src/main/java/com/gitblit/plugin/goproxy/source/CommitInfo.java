package com.gitblit.plugin.goproxy.source;

import java.time.Instant;
import java.util.List;

import org.eclipse.jgit.lib.ObjectId;

/** cmd/go's codehost.RevInfo for git: a commit, its committer time and the tags on it. */
final class CommitInfo {
    final ObjectId id;
    final String name;
    final String shortName;
    final Instant time;
    /** The revision as asked when it named a tag (kept: tags are assumed not to move), else the full hash. */
    final String version;
    final List<String> tags;

    CommitInfo(ObjectId id, Instant time, String version, List<String> tags) {
        this.id = id;
        this.name = id.name();
        this.shortName = name.substring(0, 12);
        this.time = time;
        this.version = version;
        this.tags = tags;
    }
}
