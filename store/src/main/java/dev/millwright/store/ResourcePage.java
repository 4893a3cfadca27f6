package dev.millwright.store;

import dev.millwright.resource.Resource;
import java.util.List;

/**
 * One page of a list.
 *
 * @param revision the store revision the list is consistent with: watch from it to see every later change
 * @param continueToken pass to get the next page; null on the last page
 */
public record ResourcePage(List<Resource> items, long revision, String continueToken) {
    public ResourcePage {
        items = List.copyOf(items);
    }
}
