/**
 * Defences against hostile clients, the same for both hosts and free of Gitblit and servlet types: who the
 * client is behind trusted reverse proxies ({@link com.gitblit.plugin.goproxy.guard.ClientAddresses}), Basic
 * credentials ({@link com.gitblit.plugin.goproxy.guard.BasicCredentials}) and how many password checks may
 * run, be repeated or be guessed ({@link com.gitblit.plugin.goproxy.guard.PasswordGuard}).
 */
package com.gitblit.plugin.goproxy.guard;
