package io.pangolin.metastore;

import static java.util.Objects.requireNonNull;

/** The branch or tag a catalog instance works on; {@link #MAIN} is the default branch, today's relations. */
public record Ref(String name, long id, boolean tag) {

  public static final String MAIN_NAME = "main";

  public static final Ref MAIN = new Ref(MAIN_NAME, 0, false);

  public Ref {
    requireNonNull(name, "name");
  }

  public boolean isMain() {
    return id == 0;
  }

  public String label() {
    return (tag ? "tag " : "branch ") + name;
  }
}
