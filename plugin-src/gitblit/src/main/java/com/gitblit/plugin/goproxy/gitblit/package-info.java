/**
 * The Gitblit host: the pf4j plugin, its servlet filter, and {@link com.gitblit.plugin.goproxy.proxy.ModuleHost}
 * implemented with Gitblit's repository, authentication and user managers. The only package that imports Gitblit.
 */
package com.gitblit.plugin.goproxy.gitblit;
