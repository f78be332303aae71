package com.gitblit.plugin.goproxy.admin;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import com.gitblit.plugin.goproxy.cache.postgres.PostgresDatabase;

/** The audit log's lines in the shared database (table goproxy_audit), ordered by when they were appended. */
final class PostgresAuditStore implements AuditLog.Store {
    private final PostgresDatabase db;

    PostgresAuditStore(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void append(String[] fields) throws IOException {
        db.call("writing the audit log", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO goproxy_audit (at, who, action, target, outcome) VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < 5; i++) {
                    s.setString(i + 1, fields[i]);
                }
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<AuditLog.Line> recent(int max) throws IOException {
        return db.call("reading the audit log", c -> {
            List<AuditLog.Line> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT at, who, action, target, outcome FROM goproxy_audit ORDER BY seq DESC LIMIT ?")) {
                s.setInt(1, Math.max(0, max));
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new AuditLog.Line(new String[] {r.getString(1), r.getString(2), r.getString(3),
                                r.getString(4), r.getString(5)}));
                    }
                }
            }
            return out;
        });
    }
}
