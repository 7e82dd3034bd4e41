package io.pangolin.catalog;

import static io.pangolin.catalog.PangolinConfig.POOL_CONNECTION_TIMEOUT_MS;
import static io.pangolin.catalog.PangolinConfig.POOL_CONNECTION_TIMEOUT_MS_DEFAULT;
import static io.pangolin.catalog.PangolinConfig.POOL_IDLE_CLOSE_MS;
import static io.pangolin.catalog.PangolinConfig.POOL_IDLE_CLOSE_MS_DEFAULT;
import static io.pangolin.catalog.PangolinConfig.POOL_MAX_SIZE;
import static io.pangolin.catalog.PangolinConfig.POOL_MAX_SIZE_DEFAULT;
import static io.pangolin.catalog.PangolinConfig.POOL_MIN_IDLE;
import static io.pangolin.catalog.PangolinConfig.POOL_MIN_IDLE_DEFAULT;
import static io.pangolin.catalog.PropertyValues.nonNegativeInt;
import static io.pangolin.catalog.PropertyValues.positiveInt;

import java.util.Map;

/** The {@code pangolin.pool.*} catalog properties (see {@link PangolinConfig}), parsed and validated. */
record PoolProperties(int maxSize, int minIdle, long connectionTimeoutMs, long idleCloseMs) {

  static PoolProperties parse(Map<String, String> properties) {
    return new PoolProperties(
        positiveInt(properties, POOL_MAX_SIZE, POOL_MAX_SIZE_DEFAULT),
        nonNegativeInt(properties, POOL_MIN_IDLE, POOL_MIN_IDLE_DEFAULT),
        positiveInt(properties, POOL_CONNECTION_TIMEOUT_MS, (int) POOL_CONNECTION_TIMEOUT_MS_DEFAULT),
        positiveInt(properties, POOL_IDLE_CLOSE_MS, POOL_IDLE_CLOSE_MS_DEFAULT));
  }
}
