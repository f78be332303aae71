package com.gitblit.plugin.goproxy.service;

import java.io.IOException;
import org.eclipse.jgit.lib.Repository;

/**
 * A repository the host found for a module path, already known to be readable by the caller and enabled
 * for Go. The proxy opens it only for the duration of one request.
 */
public interface HostedRepository {

    /** The host's name for it, stable across requests (Gitblit: {@code team/lib.git}); used in cache keys and logs. */
    String name();

    /** The module path of the repository root, e.g. {@code git.example.com/team/lib}. */
    String rootModulePath();

    /** True when anonymous callers may read it: its responses may then be cached by shared caches. */
    boolean anonymousReadable();

    /** Opens the JGit repository; the caller closes it. */
    Repository open() throws IOException;
}
