/**
 * Read-only Go access tokens: what a token looks like ({@link GoToken}), where tokens are kept
 * ({@link TokenStore}) and how a request presenting one is checked ({@link TokenSignIn}). No Gitblit, servlet or
 * Jetty type appears here; the hosts adapt it (the {@code gitblit} and {@code standalone} packages).
 */
package com.gitblit.plugin.goproxy.token;
