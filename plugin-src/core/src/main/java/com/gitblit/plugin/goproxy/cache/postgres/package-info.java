/**
 * The shared state of several proxy nodes in one PostgreSQL database: the version ledger, the checksum
 * database's log and key, and the administrators' audit log. Each node keeps its own artifact cache, which is
 * rebuildable and never shared. Nothing here knows HTTP or the hosts; the JDBC driver and the pool are bundled
 * relocated (see plugin-src/core/pom.xml).
 */
package com.gitblit.plugin.goproxy.cache.postgres;
