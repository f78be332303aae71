/**
 * Go modules read from a git repository with JGit, the way cmd/go's direct mode reads them: versions from
 * tags, queries and pseudo-versions resolved to commits, go.mod at a revision, and module zips streamed from
 * git trees with git-archive semantics. Knows nothing of HTTP or of any host.
 */
package com.gitblit.plugin.goproxy.source;
