/**
 * What the proxy says about a release while it is being pushed, host-agnostic and pure: which tag names are Go
 * versions ({@link com.gitblit.plugin.goproxy.release.VersionTag}), how strict a repository's push checks are
 * ({@link com.gitblit.plugin.goproxy.release.PushCheckMode}), and the lines the pusher reads
 * ({@link com.gitblit.plugin.goproxy.release.ReleaseLines}). Whether a version is served is not decided here:
 * that is the proxy's own verdict ({@code ModuleService.checkTag}), so push and download can never disagree.
 */
package com.gitblit.plugin.goproxy.release;
