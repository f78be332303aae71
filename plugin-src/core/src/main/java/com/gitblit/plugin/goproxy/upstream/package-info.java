/**
 * The dependency proxy: modules outside the forge's namespace, fetched once from another Go module proxy
 * ({@code goproxy.upstream}, GOPROXY list syntax), verified and kept. It yields what the git source yields
 * (lists, infos, go.mod files, zips) and is checked with the same {@code module} rules:
 * <ol>
 *   <li>a path must pass {@code goproxy.upstreamAllow} (if set) and not match {@code goproxy.upstreamDeny};</li>
 *   <li>{@code .mod} and {@code .zip} are spooled to a temporary file within the 16 MiB / 500 MiB limits, a zip
 *       must be safe to extract (x/mod/zip's rules for a zip's file names and sizes), and the {@code h1:} of
 *       each must equal the checksum database's proven record before the first byte is served;</li>
 *   <li>then they are pinned in the version ledger and kept in a store that the cache limit does not evict;
 *       from then on that copy is served, whatever the upstream says later;</li>
 *   <li>lists, {@code @latest} and query {@code .info} answers are cached for {@code goproxy.upstreamMetadataTtl},
 *       404s included; a stale answer, or a list of the kept versions, stands in when the upstream is down.</li>
 * </ol>
 * Nothing here knows the caller: who may use the dependency proxy is the proxy layer's question, and no
 * caller credential is ever sent upstream.
 */
package com.gitblit.plugin.goproxy.upstream;
