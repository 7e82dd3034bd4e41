package io.pangolin.registry;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A change to a warehouse's storage settings and allowed locations that names every key it touches: settings to
 * add or replace, settings to remove, locations to add and locations to remove. Whatever it does not name stays
 * as it is, so an update can never erase a setting by leaving it out.
 */
public record StorageUpdate(
    Map<String, String> set, Set<String> unset, List<String> addAllowed, List<String> removeAllowed) {

  public StorageUpdate {
    set = Map.copyOf(requireNonNull(set, "set"));
    unset = Set.copyOf(requireNonNull(unset, "unset"));
    addAllowed = List.copyOf(requireNonNull(addAllowed, "addAllowed"));
    removeAllowed = List.copyOf(requireNonNull(removeAllowed, "removeAllowed"));
  }

  /** Fails, naming the warehouse and the fix, when the update is empty or contradicts itself. */
  void requireSound(String warehouse) {
    if (set.isEmpty() && unset.isEmpty() && addAllowed.isEmpty() && removeAllowed.isEmpty()) {
      throw new IllegalArgumentException("Nothing to update in warehouse '" + warehouse + "': give a setting to"
          + " change (--endpoint, --region, --path-style-access, --checksum-mode, --setting KEY=VALUE), one to"
          + " remove (--unset KEY) or an allowed location to add or remove");
    }
    List<String> both = new ArrayList<>(set.keySet());
    both.retainAll(unset);
    if (!both.isEmpty()) {
      throw new IllegalArgumentException("Cannot update warehouse '" + warehouse + "': " + both.stream().sorted()
          .toList() + " both set and unset; give each setting once");
    }
    List<String> locations = new ArrayList<>(addAllowed);
    locations.retainAll(removeAllowed);
    if (!locations.isEmpty()) {
      throw new IllegalArgumentException("Cannot update warehouse '" + warehouse + "': allowed locations "
          + locations + " both added and removed; give each location once");
    }
  }
}
