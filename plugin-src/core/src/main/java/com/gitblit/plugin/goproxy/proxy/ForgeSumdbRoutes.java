package com.gitblit.plugin.goproxy.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.util.regex.Pattern;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.gitblit.plugin.goproxy.cache.StorageException;
import com.gitblit.plugin.goproxy.module.ModuleEscaping;
import com.gitblit.plugin.goproxy.module.ModuleRuleException;
import com.gitblit.plugin.goproxy.service.ForgeChecksumDatabase;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import com.gitblit.plugin.goproxy.service.ServiceFailure;
import com.gitblit.plugin.goproxy.service.ThirdPartyModules;
import com.gitblit.plugin.goproxy.sumdb.TilePath;

/**
 * {@code /sumdb/<forge namespace>/...}: the forge's own checksum database, in the go command's protocol, both
 * through GOPROXY ({@code supported}) and as the URL in GOSUMDB. A lookup obeys the download rule of its module
 * (401/404 as for the module itself, so a lookup never tells more than a download would); the signed head and
 * hash tiles carry no names (only how many versions the log holds) and are served to every caller, so that a
 * client verifies without credentials for the database; data tiles hold module paths and are not served.
 */
final class ForgeSumdbRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ForgeSumdbRoutes.class);
    /** As for a data folder that refused a write: long enough for a database restart. */
    private static final int RETRY_SECONDS = 30;
    /** x/mod's shape of {@code lookup/<module>@<version>} (escaped). */
    private static final Pattern LOOKUP = Pattern.compile("[^@]+@v[0-9]+\\.[0-9]+\\.[0-9]+(-[^@]*)?(\\+incompatible)?");

    private ForgeSumdbRoutes() {
    }

    static void handle(ForgeChecksumDatabase db, ThirdPartyModules thirdParty, ModuleHost host, Gatekeeper gate,
            String what,
            HttpServletRequest request, HttpServletResponse response, boolean head)
            throws ProxyError, IOException, AuthenticationThrottled {
        try {
            route(db, thirdParty, host, gate, what, request, response, head);
        } catch (StorageException e) {
            throw unavailable(e);
        }
    }

    /**
     * The log or its key could not be read or written now (the shared database is unreachable, the data folder
     * refused a write): "try again", never "not found", so that a client or a load balancer retries.
     */
    static ProxyError unavailable(StorageException e) {
        LOG.warn("goproxy: the checksum database cannot answer now: {}", e.getMessage());
        return ProxyError.unavailable("the checksum database cannot be used right now; retry later", RETRY_SECONDS);
    }

    private static void route(ForgeChecksumDatabase db, ThirdPartyModules thirdParty, ModuleHost host,
            Gatekeeper gate, String what, HttpServletRequest request, HttpServletResponse response, boolean head)
            throws ProxyError, IOException, AuthenticationThrottled {
        if (what.equals("supported")) {
            write(response, head, "text/plain; charset=utf-8", new byte[0], "no-cache");
        } else if (what.equals("latest")) {
            write(response, head, "text/plain; charset=utf-8", db.latest(), "no-cache");
        } else if (what.startsWith("lookup/")) {
            lookup(db, thirdParty, host, gate, what.substring("lookup/".length()), request, response, head);
        } else if (what.startsWith("tile/")) {
            TilePath tile = TilePath.parse(what);
            if (tile == null) {
                throw ProxyError.notFound("not found: invalid tile path " + what);
            }
            if (tile.level() == TilePath.DATA) {
                throw ProxyError.notFound("not found: data tiles are not served (they name modules); use lookup");
            }
            byte[] data = db.tile(tile);
            if (data == null) {
                throw ProxyError.notFound("not found: " + what + " is beyond the checksum database's tree");
            }
            // A tile's hashes never change: a full tile is the same for ever, a partial one until it grows.
            boolean full = tile.width() == 1 << tile.height();
            write(response, head, "application/octet-stream", data,
                    "public, max-age=" + (full ? CachePolicy.VERSION_SECONDS + ", immutable" : "60"));
        } else {
            throw ProxyError.notFound("not found: " + what);
        }
    }

    private static void lookup(ForgeChecksumDatabase db, ThirdPartyModules thirdParty, ModuleHost host,
            Gatekeeper gate, String moduleAtVersion, HttpServletRequest request, HttpServletResponse response,
            boolean head) throws ProxyError, IOException, AuthenticationThrottled {
        if (!LOOKUP.matcher(moduleAtVersion).matches()) {
            throw ProxyError.notFound("not found: invalid module@version syntax: " + moduleAtVersion);
        }
        int at = moduleAtVersion.indexOf('@');
        String modulePath;
        String version;
        try {
            modulePath = ModuleEscaping.unescapePath(moduleAtVersion.substring(0, at));
            version = ModuleEscaping.unescapeVersion(moduleAtVersion.substring(at + 1));
        } catch (ModuleRuleException e) {
            throw ProxyError.notFound("not found: " + e.getMessage());
        }
        if (!Gatekeeper.inNamespace(db.name(), modulePath)) {
            lookupThirdParty(db, thirdParty, host, modulePath, version, request, response, head);
            return;
        }
        HostedRepository repository = gate.admit(request, modulePath);
        byte[] answer;
        try {
            answer = db.lookup(repository, modulePath, version);
        } catch (ServiceFailure e) {
            throw ProxyError.of(e);
        }
        write(response, head, "text/plain; charset=utf-8", answer,
                (repository.anonymousReadable() ? "public" : "private") + ", no-cache");
    }

    /** Outside the namespace: the dependency proxy's rule decides, as for the module's own download. */
    private static void lookupThirdParty(ForgeChecksumDatabase db, ThirdPartyModules thirdParty, ModuleHost host,
            String modulePath, String version, HttpServletRequest request, HttpServletResponse response,
            boolean head) throws ProxyError, IOException, AuthenticationThrottled {
        if (thirdParty == null || !thirdParty.mayUse(host.authenticate(request))) {
            throw ProxyError.notFound("not found: " + modulePath + " is not served here");
        }
        String refusal = thirdParty.refusal(modulePath);
        if (refusal != null) {
            throw ProxyError.notFound(refusal);
        }
        byte[] answer;
        try {
            answer = db.lookupThirdParty(thirdParty, modulePath, version);
        } catch (ServiceFailure e) {
            throw ProxyError.of(e);
        }
        if (answer == null) {
            throw ProxyError.notFound("not found: " + modulePath + "@" + version + " is fetched without checksum"
                    + " verification here (goproxy.upstreamNoSumCheck), so this database does not vouch for it");
        }
        write(response, head, "text/plain; charset=utf-8", answer,
                (thirdParty.openToAnonymous() ? "public" : "private") + ", no-cache");
    }

    private static void write(HttpServletResponse response, boolean head, String type, byte[] body,
            String cacheControl) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(type);
        response.setHeader("Cache-Control", cacheControl);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(body.length);
        if (!head) {
            OutputStream out = response.getOutputStream();
            out.write(body);
            out.flush();
        }
    }
}
