/**
 * The standalone host: embedded Jetty serving the proxy over a folder of bare repositories, with an optional
 * users file and per-repository read rules. The only package that imports Jetty.
 */
package com.gitblit.plugin.goproxy.standalone;
