/**
 * The GOPROXY protocol as a servlet: request paths to (module, verb, version), the access decision
 * (401 for anonymous, 404 for everyone else, inside the host's module namespace only), status codes,
 * content types and cache headers. Talks to its host only through {@link com.gitblit.plugin.goproxy.proxy.ModuleHost}.
 */
package com.gitblit.plugin.goproxy.proxy;
