package io.kerbside.registry.store;

import java.util.List;

/**
 * One page of a longer result.
 *
 * @param total how many items match in all
 */
public record Page<T>(List<T> items, long total, int limit, int offset) {
  public Page {
    items = List.copyOf(items);
  }
}
