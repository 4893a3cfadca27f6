package dev.millwright.control.vulns;

import dev.millwright.resource.Resource;
import dev.millwright.store.ListOptions;
import dev.millwright.store.ResourceStore;
import dev.millwright.vulns.Advisory;
import dev.millwright.vulns.Findings;
import dev.millwright.vulns.Matcher;
import dev.millwright.vulns.OsvReader;
import dev.millwright.vulns.VulnKinds;
import java.util.ArrayList;
import java.util.List;

/** The advisories of the store, read once, with the matcher and the findings they make. */
public record AdvisoryIndex(List<Advisory> advisories, Matcher matcher, Findings findings) {
    public static AdvisoryIndex load(ResourceStore store) {
        List<Advisory> advisories = new ArrayList<>();
        for (Resource r : store.listAll(ListOptions.all(VulnKinds.ADVISORY)).items()) {
            OsvReader.Result read = OsvReader.read(r.spec());
            if (read.ok()) advisories.add(read.advisory()); // admission refused the others
        }
        return new AdvisoryIndex(List.copyOf(advisories), new Matcher(advisories), new Findings(advisories));
    }
}
