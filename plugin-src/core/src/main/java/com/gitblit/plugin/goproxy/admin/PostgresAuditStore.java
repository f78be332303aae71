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

    /** Appends the lines the database does not hold yet (counting repeats), in one transaction. */
    static int copy(List<String[]> lines, PostgresDatabase db) throws IOException {
        return db.transaction("copying the audit log", c -> {
            java.util.Map<String, Integer> held = new java.util.HashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT at, who, action, target, outcome FROM goproxy_audit");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    held.merge(String.join("\t", r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getString(5)), 1, Integer::sum);
                }
            }
            int copied = 0;
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO goproxy_audit (at, who, action, target, outcome) VALUES (?, ?, ?, ?, ?)")) {
                for (String[] fields : lines) {
                    String key = String.join("\t", fields);
                    Integer n = held.get(key);
                    if (n != null && n > 0) {
                        held.put(key, n - 1);
                        continue;
                    }
                    for (int i = 0; i < 5; i++) {
                        s.setString(i + 1, fields[i]);
                    }
                    s.addBatch();
                    copied++;
                }
                s.executeBatch();
            }
            return copied;
        });
    }
}
