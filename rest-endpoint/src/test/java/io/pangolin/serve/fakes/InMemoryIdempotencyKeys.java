package io.pangolin.serve.fakes;

import io.pangolin.serve.auth.Caller;
import io.pangolin.serve.idempotency.IdempotencyKeys;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Idempotency keys in a map, per principal: the store's contract without its database. */
public final class InMemoryIdempotencyKeys implements IdempotencyKeys {

  private record Entry(String route, byte[] digest, Integer status, String body) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  @Override
  public Begin begin(Caller caller, String key, String route, byte[] bodySha256) {
    Entry fresh = new Entry(route, bodySha256.clone(), null, null);
    Entry existing = entries.putIfAbsent(id(caller, key), fresh);
    if (existing == null) {
      return new Started();
    }
    if (!existing.route().equals(route) || !Arrays.equals(existing.digest(), bodySha256)) {
      return new Mismatch();
    }
    return existing.status() == null ? new InProgress() : new Replay(existing.status(), existing.body());
  }

  @Override
  public void finish(Caller caller, String key, int status, String body) {
    entries.computeIfPresent(id(caller, key), (id, entry) -> new Entry(entry.route(), entry.digest(), status, body));
  }

  @Override
  public void forget(Caller caller, String key) {
    entries.remove(id(caller, key));
  }

  private static String id(Caller caller, String key) {
    return caller.principal() + "\u0000" + key;
  }
}
