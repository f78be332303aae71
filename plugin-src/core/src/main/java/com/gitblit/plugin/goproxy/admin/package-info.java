/**
 * The administrator's view of a running proxy, host-agnostic: a read model over the version ledger, the artifact
 * store and the service's counters ({@link com.gitblit.plugin.goproxy.admin.AdminReadModel}), the acts an
 * administrator may take, each through the service ({@link com.gitblit.plugin.goproxy.admin.AdminActions}), and
 * the append-only record of those acts ({@link com.gitblit.plugin.goproxy.admin.AuditLog}). Hosts decide who is
 * an administrator and render the model; nothing here knows Gitblit, Wicket or Jetty.
 */
package com.gitblit.plugin.goproxy.admin;
