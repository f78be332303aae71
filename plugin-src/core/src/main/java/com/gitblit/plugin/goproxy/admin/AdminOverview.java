package com.gitblit.plugin.goproxy.admin;

import java.util.Collections;
import java.util.List;

/** The admin view's first page: the instance's totals, the forge's modules and the stored third-party modules. */
public final class AdminOverview {
    private final InstanceTotals totals;
    private final List<ModuleInventory> modules;
    private final List<ModuleInventory> thirdParty;

    AdminOverview(InstanceTotals totals, List<ModuleInventory> modules, List<ModuleInventory> thirdParty) {
        this.totals = totals;
        this.modules = Collections.unmodifiableList(modules);
        this.thirdParty = Collections.unmodifiableList(thirdParty);
    }

    public InstanceTotals totals() {
        return totals;
    }

    /** By repository, then module path. */
    public List<ModuleInventory> modules() {
        return modules;
    }

    /** Kept by the dependency proxy, by module path; their artifacts are kept for good, not cached. */
    public List<ModuleInventory> thirdParty() {
        return thirdParty;
    }
}
