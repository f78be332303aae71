/**
 * What a person sees of the Go modules of a forge, as data the hosts only render (Gitblit's Wicket pages, the
 * standalone server's HTML): the modules of a repository with their versions and, for those who may push, the
 * tags the proxy leaves out and why; a version with its go.mod, every module path in it a link decided by
 * namespace alone; the instance-wide list; the client setup lines. Everything comes from the
 * {@link com.gitblit.plugin.goproxy.service.ModuleService}, the proxy's own decisions; nothing here reads git or
 * restates a Go rule. No servlet, Wicket or Gitblit type appears here.
 */
package com.gitblit.plugin.goproxy.catalog;
